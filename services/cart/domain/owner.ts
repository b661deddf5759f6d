import { Errors } from "moleculer";
import type { Caller } from "../../../contracts";
import { ID_PATTERN } from "../../../platform/core/ids";

/**
 * Whose cart a request acts on: always the caller's own, whether the call came
 * through the gateway or not, so a request without a valid caller is refused.
 */
export function cartOwner(user: Caller | null | undefined): string {
  if (!user || typeof user.id !== "string" || !ID_PATTERN.test(user.id)) {
    throw new Errors.MoleculerClientError("Authentication required", 401, "UNAUTHORIZED");
  }
  return user.id;
}
