import { cartVariables } from "./cart/cart.vars";
import { catalogVariables } from "./catalog/catalog.vars";
import { inventoryVariables } from "./inventory/inventory.vars";
import { ordersVariables } from "./orders/orders.vars";
import { usersVariables } from "./users/users.vars";

/**
 * The environment variables of single services, each declared next to its service
 * (services/<name>/<name>.vars.ts), listed here for the one config module (platform/config),
 * which never imports services: moleculer.config.ts (every node, whatever services it runs),
 * test/setup-env.ts and the configuration table (scripts/config-table.ts) hand this list to
 * declareVariables(), so every variable is parsed at start and a malformed one stops any node.
 */
export const serviceVariables = {
  ...usersVariables,
  ...cartVariables,
  ...catalogVariables,
  ...inventoryVariables,
  ...ordersVariables,
};

type Declared = typeof serviceVariables;

// Their types, added to `config` (platform/config/variables.ts ServiceVariables).
declare module "../platform/config/variables" {
  interface ServiceVariables extends Declared {}
}
