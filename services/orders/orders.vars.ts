import { int } from "../../platform/config/variable";

/** The orders service's settings; listed in services/variables.ts, parsed at start (platform/config). */
export const ordersVariables = {
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
