/**
 * What a service declares it needs from other services. Services declare it
 * (platform/contracts/define.ts `contract(name, actions, { dependsOn })` puts it in the
 * service's `metadata`, which Moleculer sends to every node with the service
 * list); the platform only reads it: readiness here, and whatever else needs
 * the graph (a gateway can read remote services' metadata from the registry).
 *
 *   hard      the service cannot do its main work without it: a node running
 *             the service is not ready while no instance is reachable
 *   optional  used when present; the service degrades without it
 */
export type DependencyKind = "hard" | "optional";

/** `{ payments: "hard", notifications: "optional" }`: service name → kind. */
export type ServiceDependencies = Readonly<Record<string, DependencyKind>>;

/** Where a service's declared dependencies live in its metadata. */
export interface DependencyMetadata {
  dependsOn?: ServiceDependencies;
}

/** The dependencies declared in a service's metadata (none when it declares none). */
export function declaredDependencies(metadata: DependencyMetadata | undefined | null): ServiceDependencies {
  return metadata?.dependsOn ?? {};
}

/** The names of the services `deps` cannot work without. */
export function hardDependencies(deps: ServiceDependencies): string[] {
  return Object.keys(deps).filter((name) => deps[name] === "hard");
}

/** The part of a registry's service list this reads (Moleculer's getServiceList items). */
interface ListedService {
  name: string;
  metadata?: DependencyMetadata | null;
}

/**
 * Every service's declared dependencies as the cluster knows them, local and
 * remote (service metadata travels in each node's INFO packet): what a
 * gateway needs to tell whether a route's services can answer.
 */
export function clusterDependencies(registry: {
  getServiceList(opts: { skipInternal: boolean }): ListedService[];
}): Record<string, ServiceDependencies> {
  const graph: Record<string, ServiceDependencies> = {};
  for (const service of registry.getServiceList({ skipInternal: true })) {
    graph[service.name] = { ...graph[service.name], ...declaredDependencies(service.metadata) };
  }
  return graph;
}

/** The part of an action definition this reads (contract `action(..., { dependsOn })`, sent in INFO). */
export interface DeclaringAction {
  name: string;
  dependsOn?: ServiceDependencies;
}

/**
 * What a call to `action` needs: its own service (hard) and what it declares
 * (defineService puts the action's dependsOn, or its service's, on the action).
 */
export function actionDependencies(action: DeclaringAction): ServiceDependencies {
  const own = action.name.split(".")[0];
  return { ...action.dependsOn, [own]: "hard" };
}

/** How a call answers while `down` has no reachable node (docs/fault-isolation.md). */
export type AnswerWhenDown = "unchanged" | "unavailable" | "degraded";

export function answerWhenDown(deps: ServiceDependencies, down: string): AnswerWhenDown {
  if (deps[down] === "hard") return "unavailable";
  if (deps[down] === "optional") return "degraded";
  return "unchanged";
}

/** The hard dependencies of `deps` that no node offers right now (`available` names the services that have one). */
export function missingHardDependencies(deps: ServiceDependencies, available: ReadonlySet<string>): string[] {
  return hardDependencies(deps)
    .filter((name) => !available.has(name))
    .sort();
}
