import { int, string } from "./variable";

/** Settings of single services (users, catalog, cart, inventory, orders). */
export const serviceVariables = {
  JWT_SECRET: string({
    defaultDoc: "random per process (not in production)",
    doc: "key that signs tokens, at least 32 characters",
  }),
  JWT_EXPIRES_IN: string({ default: "2h", doc: "token lifetime, e.g. `15m`, `2h`, `1d`" }),
  ADMIN_EMAIL: string({ doc: "admin account, created once at start (with `ADMIN_PASSWORD`)" }),
  ADMIN_PASSWORD: string({ doc: "the admin's password, 8..128 characters" }),
  DEFAULT_CURRENCY: string({ default: "EUR", doc: "currency of an empty cart" }),
  CATALOG_STOCK_TIMEOUT_MS: int({
    default: 1000,
    min: 1,
    doc: "ms a product read waits for inventory's stock before answering without it (`available: null`)",
  }),
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
  ORDERS_PENDING_TIMEOUT_MS: int({
    default: 15_000,
    min: 1,
    doc: "an order still `PENDING` this long after its last step is finished by recovery",
  }),
  ORDERS_RECOVERY_INTERVAL_MS: int({
    default: 5000,
    min: 1,
    doc: "how often each orders node looks for such orders (and once at start)",
  }),
  ORDERS_OUTBOX_INTERVAL_MS: int({ default: 1000, min: 1, doc: "how often undelivered order events are retried" }),
  ORDERS_OUTBOX_MAX_BACKOFF_MS: int({
    default: 5000,
    min: 1,
    doc: "longest wait between two deliveries of one order event",
  }),
};
