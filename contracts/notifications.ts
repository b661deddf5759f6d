import { ID_PATTERN } from "../platform/core/ids";
import { action, contract, type InferParams, type RuleType } from "../platform/contracts/define";
import { timestampRule } from "./common";

const id = { type: "string", pattern: ID_PATTERN } as const;

const notification = {
  type: "object",
  strict: true,
  props: {
    id,
    /** The event that caused it; unique, so a redelivered event is ignored. */
    eventId: { type: "string", min: 1 },
    event: { type: "enum", values: ["order.confirmed", "order.failed"] },
    orderId: id,
    userId: id,
    channel: { type: "equal", value: "email" },
    subject: { type: "string" },
    body: { type: "string" },
    createdAt: timestampRule,
  },
} as const;
export type Notification = RuleType<typeof notification>;

/** Either order event payload (order.confirmed or order.failed): `status` tells them apart. */
const orderEventParams = {
  $$strict: true,
  eventId: { type: "string", min: 1, max: 200 },
  orderId: id,
  userId: id,
  totalCents: { type: "number", integer: true, min: 0, optional: true },
  currency: { type: "string", length: 3, optional: true },
  status: { type: "enum", values: ["FAILED", "REJECTED"], optional: true },
  reason: { type: "string", max: 1000, optional: true },
  occurredAt: { type: "string", max: 40, optional: true },
  items: {
    type: "array",
    max: 1000,
    optional: true,
    items: {
      type: "object",
      strict: true,
      props: { productId: id, quantity: { type: "number", integer: true, min: 1 } },
    },
  },
} as const;

export type OrderEventParams = InferParams<typeof orderEventParams>;

export const notificationsContract = contract("notifications", {
  /** GET /notifications (customer): own notifications, newest first. */
  list: action({ $$strict: "remove" }, { type: "array", items: notification }),
  /**
   * Internal, idempotent by eventId: records the notification for an order
   * event; the orders outbox calls it until it succeeds.
   */
  record: action(orderEventParams, notification),
});
