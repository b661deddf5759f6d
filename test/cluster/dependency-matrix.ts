import {
  answerWhenDown,
  hardDependencies,
  type AnswerWhenDown,
  type ServiceDependencies,
} from "../../platform/observability/dependencies";

/**
 * The fault-isolation matrix, generated from the one dependency declaration
 * (contracts' dependsOn) as the running gateway publishes it: every route of
 * /api/openapi.json with its action's `x-depends-on` and `x-access`, and every
 * service's own declaration from the registry (clusterDependencies).
 */

export interface RouteDecl {
  method: string;
  /** OpenAPI path, e.g. /api/v1/products/{id}. */
  path: string;
  action: string;
  access: string;
  dependsOn: ServiceDependencies;
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<string, { operationId?: string; "x-access"?: string; "x-depends-on"?: ServiceDependencies }>
  >;
}

/** Every action route of the gateway's OpenAPI document. */
export function routesOf(doc: OpenApiDoc): RouteDecl[] {
  const routes: RouteDecl[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!op.operationId || !op["x-depends-on"]) continue;
      routes.push({
        method: method.toUpperCase(),
        path,
        action: op.operationId.replace(/_\d+$/, ""),
        access: op["x-access"] ?? "public",
        dependsOn: op["x-depends-on"],
      });
    }
  }
  return routes.sort((a, b) => a.action.localeCompare(b.action));
}

/**
 * What a route needs, all the way down: its action's declaration, then the
 * declarations of the services it hard-depends on (a hard dependency's hard
 * dependency is hard), and the users service for any route that takes a
 * token (the gateway resolves it there).
 */
export function routeNeeds(route: RouteDecl, services: Record<string, ServiceDependencies>): ServiceDependencies {
  const needs: Record<string, "hard" | "optional"> = { ...route.dependsOn };
  if (route.access !== "public") needs.users = "hard";
  // The action's own declaration already says what it needs of the rest of
  // its service's graph; only the services it calls are followed further.
  const own = route.action.split(".")[0];
  const queue = hardDependencies(needs).filter((name) => name !== own);
  while (queue.length) {
    const name = queue.shift()!;
    for (const [dep, kind] of Object.entries(services[name] ?? {})) {
      if (kind === "hard" && needs[dep] !== "hard") {
        needs[dep] = "hard";
        queue.push(dep);
      } else if (kind === "optional" && !needs[dep]) {
        needs[dep] = "optional";
      }
    }
  }
  return needs;
}

export function expectedAnswer(
  route: RouteDecl,
  services: Record<string, ServiceDependencies>,
  down: string,
): AnswerWhenDown {
  return answerWhenDown(routeNeeds(route, services), down);
}
