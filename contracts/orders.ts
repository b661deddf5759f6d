import { idRule } from "../platform/core/ids";
import { countRule, currencyRule, pageOf, timestampRule } from "./common";
import { action, contract, type RuleType } from "../platform/contracts/define";

export const ORDER_STATUSES = ["PENDING", "CONFIRMED", "FAILED", "REJECTED"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const orderItem = {
  type: "object",
  strict: true,
  props: { productId: idRule, name: { type: "string" }, quantity: countRule, unitPriceCents: countRule },
} as const;
export type OrderItem = RuleType<typeof orderItem>;

const orderSchema = {
  type: "object",
  strict: true,
  props: {
    id: idRule,
    userId: idRule,
    status: { type: "enum", values: ORDER_STATUSES },
    items: { type: "array", items: orderItem },
    totalCents: countRule,
    currency: currencyRule,
    /** What is kept of the card: brand and last four digits. */
    payment: {
      type: "object",
      strict: true,
      nullable: true,
      props: { brand: { type: "string" }, last4: { type: "string", pattern: /^\d{4}$/ } },
    },
    failureReason: { type: "string", nullable: true },
    createdAt: timestampRule,
    updatedAt: timestampRule,
  },
} as const;
export type Order = RuleType<typeof orderSchema>;

export const MAX_ORDER_PAGE_SIZE = 100;

/*
 * Params schemas (fastest-validator). Card fields are checked for shape only
 * (digits, ranges); Luhn and expiry are checked by domain/order.rules.checkCard
 * before anything is stored, and payments checks again. Validation messages
 * never echo values (the gateway strips `actual`).
 */

const cardParams = {
  type: "object",
  strict: true,
  props: {
    cardNumber: {
      type: "string",
      pattern: /^\d{12,19}$/,
      messages: { stringPattern: "'{field}' must be 12 to 19 digits." },
    },
    expMonth: { type: "number", integer: true, min: 1, max: 12 },
    expYear: { type: "number", integer: true, min: 2000, max: 2100 },
    cvc: { type: "string", pattern: /^\d{3,4}$/, messages: { stringPattern: "'{field}' must be 3 or 4 digits." } },
  },
} as const;

/** What a checkout's error carries when it made an order (FAILED or REJECTED). */
const withOrder = { type: "object", props: { order: orderSchema } } as const;

export const ordersContract = contract(
  "orders",
  {
    /**
     * POST /orders (customer), header Idempotency-Key (8..128 chars) → ctx.meta.idempotencyKey.
     * 201 CONFIRMED; 402 FAILED (declined); 409 REJECTED (stock); 422 empty cart.
     */
    checkout: action({ $$strict: true, payment: cardParams }, orderSchema, {
      dependsOn: { cart: "hard", inventory: "hard", payments: "hard", notifications: "optional" },
      // Stock changed: the gateway it went through drops its kept product reads at once.
      invalidates: "all",
      errors: {
        400: "The Idempotency-Key header is missing or malformed",
        402: { description: "Payment declined: `data.order` is the FAILED order", data: withOrder },
        409: {
          description: "Not enough stock (`data.order` is the REJECTED order), or this checkout is still in progress",
          data: withOrder,
        },
        422: "The cart is empty, or the card is invalid or expired",
      },
    }),
    /** GET /orders (customer): own orders, newest first. */
    list: action(
      {
        $$strict: "remove",
        page: { type: "number", integer: true, min: 1, max: 10_000, convert: true, optional: true },
        pageSize: { type: "number", integer: true, min: 1, max: MAX_ORDER_PAGE_SIZE, convert: true, optional: true },
      },
      pageOf(orderSchema),
      // Reads only the orders' own store.
      { dependsOn: {} },
    ),
    /** Internal (the storefront's admin pages): every customer's orders, newest first. */
    listAll: action(
      {
        $$strict: "remove",
        page: { type: "number", integer: true, min: 1, max: 10_000, convert: true, optional: true },
        pageSize: { type: "number", integer: true, min: 1, max: MAX_ORDER_PAGE_SIZE, convert: true, optional: true },
      },
      pageOf(orderSchema),
    ),
    /** GET /orders/:id (customer): owner or admin, else 404. */
    get: action({ $$strict: "remove", id: idRule }, orderSchema, { dependsOn: {} }),
    /** Internal: drives orders left PENDING past the threshold to a terminal state. */
    recover: action(
      { $$strict: true, olderThanMs: { type: "number", integer: true, min: 0, optional: true } },
      { type: "object", strict: true, props: { recovered: countRule } },
    ),
  },
  {
    // The saga cannot run without these; notifications only receive the
    // outbox's events, which wait for it (at-least-once).
    dependsOn: { cart: "hard", inventory: "hard", payments: "hard", notifications: "optional" },
  },
);

export interface OrderEvents {
  "order.confirmed": {
    eventId: string;
    orderId: string;
    userId: string;
    totalCents: number;
    currency: string;
    /** What was bought: recommendations learns "bought together" from it (absent in events queued before it was added). */
    items?: { productId: string; quantity: number }[];
    /** When the order reached this status (ISO); notification lag is measured from it. */
    occurredAt?: string;
  };
  "order.failed": {
    eventId: string;
    orderId: string;
    userId: string;
    status: "FAILED" | "REJECTED";
    reason: string;
    occurredAt?: string;
  };
}
