import { int } from "../../platform/config/variable";

/** The catalog service's settings; listed in services/variables.ts, parsed at start (platform/config). */
export const catalogVariables = {
  CATALOG_STOCK_TIMEOUT_MS: int({
    default: 1000,
    min: 1,
    doc: "ms a product read waits for inventory's stock before answering without it (`available: null`)",
  }),
};
