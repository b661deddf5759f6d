import { string } from "../../platform/config/variable";

/** The cart service's settings; listed in services/variables.ts, parsed at start (platform/config). */
export const cartVariables = {
  DEFAULT_CURRENCY: string({ default: "EUR", doc: "currency of an empty cart" }),
};
