import { int } from "../../platform/config/variable";

/** The inventory service's settings; listed in services/variables.ts, parsed at start (platform/config). */
export const inventoryVariables = {
  INVENTORY_INITIAL_STOCK: int({
    default: 0,
    min: 0,
    defaultDoc: "`0` (`npm run dev`: `DEMO_STOCK`, 50)",
    doc: "units a product starts with when inventory first hears of it",
  }),
  INVENTORY_LOW_THRESHOLD: int({
    default: 5,
    min: 0,
    doc: "products below it are counted by `agora_products_low_stock`",
  }),
};
