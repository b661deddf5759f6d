import { Errors } from "moleculer";
import { config } from "../config";
import { actionDependencies, missingHardDependencies, type DeclaringAction } from "../observability/dependencies";

/**
 * The answer of a known route whose service, or a service it hard-depends on,
 * has no reachable node (killed, gone, or its circuit open): 503 with
 * Retry-After and a body naming what is unavailable, never Moleculer's 404
 * "service not found", which clients read as "no such route" and do not retry.
 */

/**
 * Seconds a client should wait (UNAVAILABLE_RETRY_AFTER): about what a
 * replacement node takes to join, or an open circuit to be probed.
 */
export function retryAfterUnavailable(): number {
  return config.UNAVAILABLE_RETRY_AFTER;
}

/** The type of every 503 that explains itself; the gateway shows its message and data (public-error.ts). */
export const UNAVAILABLE_TYPE = "SERVICE_UNAVAILABLE";

interface ErrorLike {
  name?: string;
  code?: unknown;
  type?: string;
  data?: unknown;
}

/** "No node can take this call": Moleculer's not found / not available, or moleculer-web's bare 503 for a known alias. */
export function isNoEndpointError(err: ErrorLike | null | undefined): boolean {
  if (!err) return false;
  if (err.type === "SERVICE_NOT_FOUND" || err.type === "SERVICE_NOT_AVAILABLE") return true;
  return err.name === "ServiceUnavailableError" && err.code === 503 && err.type !== UNAVAILABLE_TYPE;
}

/**
 * A node refused the call: it is shutting down ("not available on '<node>'": it
 * sent its empty service list before stopping, but a busy caller can pick it
 * until that arrives), or it has not started its services yet ("not found on
 * '<node>'": a replica restarted under the same node ID, still listed with its
 * old services by callers that have not had its new INFO). Another replica can
 * take the call, so it is retried, unlike "no node offers it" found by the
 * caller's own registry (no node named).
 */
export function refusedByNode(err: ErrorLike | null | undefined): boolean {
  const type = err?.type;
  return (
    (type === "SERVICE_NOT_AVAILABLE" || type === "SERVICE_NOT_FOUND") &&
    !!(err?.data as { nodeID?: unknown } | undefined)?.nodeID
  );
}

/** The service named in a no-endpoint error (`data.action` is "svc.action"), if any. */
function serviceOf(err: ErrorLike): string | undefined {
  const action = (err.data as { action?: unknown } | undefined)?.action;
  return typeof action === "string" ? action.split(".")[0] : undefined;
}

/**
 * The 503 for a known route that reached no node: the services missing are
 * the one the error names (a nested call may have failed) and the route's
 * hard dependencies that no node offers now.
 */
export function unavailableError(
  err: ErrorLike,
  action: DeclaringAction,
  available: ReadonlySet<string>,
): Errors.MoleculerError {
  const named = serviceOf(err);
  const missing = new Set(missingHardDependencies(actionDependencies(action), available));
  if (named) missing.add(named);
  if (missing.size === 0) missing.add(action.name.split(".")[0]);
  const unavailable = [...missing].sort();
  return new Errors.MoleculerError(
    `Unavailable: ${unavailable.join(", ")}. Nothing was changed; please try again later.`,
    503,
    UNAVAILABLE_TYPE,
    { unavailable, done: false, retryAfter: retryAfterUnavailable() },
  );
}
