import type { ServiceDependencies } from "../observability/dependencies";

/**
 * The REST routes a gateway has served since it started. moleculer-web
 * rebuilds its aliases from the live registry, so a route whose service has
 * no node left disappears and answers 404 ("not found"): clients read that as
 * "no such route" and give up. Routes are remembered here instead, with what
 * their action declared, so a route once known stays known and answers 503
 * while its service is away (gateway.mixin.ts).
 */

/** The part of moleculer-web's Alias this reads. */
export interface AliasLike {
  route: unknown;
  method: string;
  path: string;
  action: string | null;
  _generated?: boolean;
}

/** What a remembered route's action declared (sent with the action in INFO packets). */
export interface KnownAction {
  name: string;
  auth?: string;
  dependsOn?: ServiceDependencies;
}

export class KnownRoutes {
  private readonly aliases = new Map<unknown, Map<string, { method: string; path: string; action: string }>>();
  private readonly actions = new Map<string, KnownAction>();

  /** Remembers the generated aliases of `route` and returns the ones it had before but lacks now. */
  remember(route: unknown, current: AliasLike[]): { method: string; path: string; action: string }[] {
    const known = this.aliases.get(route) ?? new Map();
    this.aliases.set(route, known);
    const present = new Set<string>();
    for (const alias of current) {
      if (alias.route !== route || !alias._generated || !alias.action) continue;
      const key = `${alias.method} ${alias.path}`;
      present.add(key);
      known.set(key, { method: alias.method, path: alias.path, action: alias.action });
    }
    return [...known].filter(([key]) => !present.has(key)).map(([, alias]) => alias);
  }

  rememberAction(action: KnownAction): void {
    this.actions.set(action.name, { name: action.name, auth: action.auth, dependsOn: action.dependsOn });
  }

  action(name: string): KnownAction {
    return this.actions.get(name) ?? { name };
  }
}
