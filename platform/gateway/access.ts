import { Errors } from "moleculer";
import type { AccessLevel, Caller } from "../../contracts";

/**
 * Decides whether a caller may use an action that declares `level`.
 * An action without a declared level is never reachable over REST.
 */
export function checkAccess(level: AccessLevel | undefined, caller: Caller | null | undefined): void {
  if (level === "public") return;
  if (level !== "customer" && level !== "admin") {
    throw new Errors.MoleculerClientError("Forbidden", 403, "FORBIDDEN");
  }
  if (!caller) throw new Errors.MoleculerClientError("Authentication required", 401, "UNAUTHORIZED");
  if (level === "admin" && caller.role !== "admin") {
    throw new Errors.MoleculerClientError("Forbidden", 403, "FORBIDDEN");
  }
}
