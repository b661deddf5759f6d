import { Errors } from "moleculer";
import type { AccessLevel, Caller } from "../contracts/access";

/**
 * Decides whether a caller may use an action that declares `level`.
 * `service` is the service whose action made the call, if any: only it may
 * use an `internal` action (the gateway never routes to one). An action
 * without a declared level is never reachable over REST.
 */
export function checkAccess(
  level: AccessLevel | undefined,
  caller: Caller | null | undefined,
  service?: string | null,
): void {
  if (level === "public") return;
  if (level === "internal") {
    if (service) return;
    throw new Errors.MoleculerClientError("Forbidden", 403, "FORBIDDEN");
  }
  if (level !== "customer" && level !== "admin") {
    throw new Errors.MoleculerClientError("Forbidden", 403, "FORBIDDEN");
  }
  if (!caller) throw new Errors.MoleculerClientError("Authentication required", 401, "UNAUTHORIZED");
  if (level === "admin" && caller.role !== "admin") {
    throw new Errors.MoleculerClientError("Forbidden", 403, "FORBIDDEN");
  }
}
