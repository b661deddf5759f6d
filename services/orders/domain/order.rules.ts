import { createHash } from "node:crypto";
import { Errors } from "moleculer";
import type { Card, Cart, Order, OrderEvents, OrderStatus } from "../../../contracts";
import { UnprocessableError } from "../../../platform/core/errors";
import type { StoredDoc } from "../../../platform/store/doc-store";
import { luhnValid } from "../../../platform/core/luhn";

/** Business rules of orders, free of Moleculer's broker so unit tests call them directly. */

/** Steps of the saga that change another service's state; each is idempotent by orderId there. */
export type SagaStep = "reserve" | "charge" | "commit" | "emptyCart" | "release" | "refund";

/** Steps still to run once an order is terminal (compensations or follow-ups). */
export type FollowUp = Exclude<SagaStep, "reserve" | "charge">;

export type OrderEventName = keyof OrderEvents;

/** The outbox entry, written in the same update as the terminal status. */
export interface OutboxEntry {
  eventId: string;
  event: OrderEventName;
  payload: OrderEvents[OrderEventName];
}

/**
 * The stored order. Besides the public fields it carries the saga's progress:
 * `done` (steps applied), `todo` (follow-ups a terminal status requires),
 * `settled` (all of them done), a lease, and the outbox.
 */
export interface OrderDoc extends StoredDoc {
  userId: string;
  status: OrderStatus;
  items: Order["items"];
  totalCents: number;
  currency: string;
  payment: Order["payment"];
  failureReason: string | null;
  /** HTTP status a replay of a failed checkout answers with (402, 409, 503). */
  failureCode: number | null;
  /** Error type of that answer (PAYMENT_DECLINED, OUT_OF_STOCK, ...). */
  failureType: string | null;
  /** The service whose absence failed the order (failureType SERVICE_UNAVAILABLE); older orders lack it. */
  unavailable?: string | null;
  createdAt: string;
  updatedAt: string;
  done: Partial<Record<SagaStep, boolean>>;
  todo: FollowUp[];
  settled: boolean;
  /** Epoch ms until which one driver owns the order; others wait for it to pass. */
  leaseUntil: number;
  /**
   * The process driving the checkout (`<instanceID>@<nodeID>`): a repeated request on
   * another node takes the order over when that process is gone. Older orders lack it.
   */
  driver?: string | null;
  outbox: OutboxEntry | null;
  outboxPending: boolean;
  outboxAttempts: number;
  /** Epoch ms of the next delivery attempt; also the relay's compare-and-set token. */
  outboxNextAt: number;
  outboxDeliveredAt: string | null;
}

export const IDEMPOTENCY_KEY = { min: 8, max: 128 } as const;
const KEY_PATTERN = /^[\x21-\x7e]+$/;

/** The Idempotency-Key header, checked: 8..128 visible ASCII characters. */
export function checkIdempotencyKey(key: unknown): string {
  if (typeof key !== "string" || key.length === 0) {
    throw new Errors.MoleculerClientError("The Idempotency-Key header is required", 400, "IDEMPOTENCY_KEY_REQUIRED");
  }
  if (key.length < IDEMPOTENCY_KEY.min || key.length > IDEMPOTENCY_KEY.max || !KEY_PATTERN.test(key)) {
    throw new Errors.MoleculerClientError(
      `The Idempotency-Key header must be ${IDEMPOTENCY_KEY.min}..${IDEMPOTENCY_KEY.max} visible ASCII characters`,
      400,
      "INVALID_IDEMPOTENCY_KEY",
    );
  }
  return key;
}

/**
 * The order id for a user's idempotency key. Deriving it (instead of a unique
 * index on the key) makes "one order per key and user" hold on every store:
 * _id is unique everywhere, secondary unique indexes are not (CongoDB).
 */
export function orderIdFor(userId: string, key: string): string {
  return createHash("sha256").update(`${userId}\n${key}`).digest("hex").slice(0, 24);
}

export function eventIdFor(orderId: string, event: OrderEventName): string {
  return `${orderId}:${event}`;
}

/**
 * Rejects a card that cannot be charged before any order is stored, so a typo
 * costs no idempotency key and no reservation. Payments checks again; it is
 * the authority. The message never contains the card data.
 */
export function checkCard(card: Card, now: Date = new Date()): void {
  if (!luhnValid(card.cardNumber)) {
    throw new UnprocessableError("The card number is not valid", "INVALID_CARD", [{ field: "payment.cardNumber" }]);
  }
  const expiry = card.expYear * 12 + (card.expMonth - 1);
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  if (expiry < current) {
    throw new UnprocessableError("The card has expired", "CARD_EXPIRED", [{ field: "payment.expYear" }]);
  }
}

export function newOrderDoc(
  orderId: string,
  userId: string,
  cart: Cart,
  now: Date,
  leaseMs: number,
  driver: string | null = null,
): OrderDoc {
  const timestamp = now.toISOString();
  return {
    _id: orderId,
    userId,
    status: "PENDING",
    items: cart.items.map(({ productId, name, quantity, unitPriceCents }) => ({
      productId,
      name,
      quantity,
      unitPriceCents,
    })),
    totalCents: cart.items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0),
    currency: cart.currency,
    payment: null,
    failureReason: null,
    failureCode: null,
    failureType: null,
    createdAt: timestamp,
    updatedAt: timestamp,
    done: {},
    todo: [],
    settled: false,
    leaseUntil: now.getTime() + leaseMs,
    driver,
    outbox: null,
    outboxPending: false,
    outboxAttempts: 0,
    outboxNextAt: 0,
    outboxDeliveredAt: null,
  };
}

/** The terminal transition of a PENDING order, with its follow-ups and its outbox entry. */
export interface Outcome {
  status: Exclude<OrderStatus, "PENDING">;
  payment?: Order["payment"];
  failureReason?: string;
  failureCode?: number;
  failureType?: string;
  unavailable?: string;
}

export function followUpsFor(status: Outcome["status"]): FollowUp[] {
  switch (status) {
    case "CONFIRMED":
      return ["commit", "emptyCart"];
    // A failed order may have been charged by a call still in flight when the
    // order was failed; refunding is a no-op when there is no charge.
    case "FAILED":
      return ["refund", "release"];
    case "REJECTED":
      return ["release"];
  }
}

export function outboxFor(order: OrderDoc, outcome: Outcome, now: Date = new Date()): OutboxEntry {
  const occurredAt = now.toISOString();
  if (outcome.status === "CONFIRMED") {
    const event = "order.confirmed";
    return {
      eventId: eventIdFor(order._id, event),
      event,
      payload: {
        eventId: eventIdFor(order._id, event),
        orderId: order._id,
        userId: order.userId,
        totalCents: order.totalCents,
        currency: order.currency,
        items: order.items.map(({ productId, quantity }) => ({ productId, quantity })),
        occurredAt,
      },
    };
  }
  const event = "order.failed";
  return {
    eventId: eventIdFor(order._id, event),
    event,
    payload: {
      eventId: eventIdFor(order._id, event),
      orderId: order._id,
      userId: order.userId,
      status: outcome.status,
      reason: outcome.failureReason ?? "",
      occurredAt,
    },
  };
}

/** The $set of a terminal transition: status, steps done, follow-ups and outbox in one document update. */
export function terminalChanges(order: OrderDoc, outcome: Outcome, now: Date): Partial<OrderDoc> {
  return {
    status: outcome.status,
    done: order.done,
    payment: outcome.payment ?? order.payment,
    failureReason: outcome.failureReason ?? null,
    failureCode: outcome.failureCode ?? null,
    failureType: outcome.failureType ?? null,
    unavailable: outcome.unavailable ?? null,
    todo: followUpsFor(outcome.status),
    outbox: outboxFor(order, outcome, now),
    outboxPending: true,
    outboxAttempts: 0,
    outboxNextAt: now.getTime(),
    updatedAt: now.toISOString(),
  };
}

/** Delay before the next outbox delivery attempt: exponential, capped. */
export function outboxBackoff(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempts, 20));
}

/** The order as callers see it: no saga bookkeeping, no card data (there is none to hide). */
export function toOrder(doc: OrderDoc): Order {
  return {
    id: String(doc._id),
    userId: doc.userId,
    status: doc.status,
    items: doc.items,
    totalCents: doc.totalCents,
    currency: doc.currency,
    payment: doc.payment ? { brand: doc.payment.brand, last4: doc.payment.last4 } : null,
    failureReason: doc.failureReason,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** The error a checkout answers with for a failed or rejected order; the order travels in its data. */
export function checkoutError(doc: OrderDoc): Errors.MoleculerError {
  const order = toOrder(doc);
  if (doc.status === "REJECTED") {
    return new Errors.MoleculerClientError(
      doc.failureReason ?? "Not enough stock",
      409,
      doc.failureType ?? "OUT_OF_STOCK",
      {
        order,
      },
    );
  }
  const code = doc.failureCode ?? 402;
  if (code >= 500) {
    // Shown to the client as is (platform/gateway/public-error.ts): what was
    // missing, that nothing was charged, and the FAILED order to look up.
    return new Errors.MoleculerError(
      doc.failureReason ?? "Checkout failed",
      code,
      doc.failureType ?? "SERVICE_UNAVAILABLE",
      {
        order,
        orderId: order.id,
        charged: false,
        unavailable: doc.unavailable ? [doc.unavailable] : [],
      },
    );
  }
  return new Errors.MoleculerClientError(
    doc.failureReason ?? "Payment failed",
    code,
    doc.failureType ?? "PAYMENT_FAILED",
    {
      order,
    },
  );
}

/** A definitive answer from another service (a 4xx that retrying cannot change). */
export function isClientError(err: unknown): err is Errors.MoleculerError {
  const e = err as { code?: unknown; retryable?: boolean; type?: string };
  return typeof e?.code === "number" && e.code >= 400 && e.code < 500 && !e.retryable && !isNoEndpoint(e);
}

/** "No node offers that action" (a 404 from Moleculer, not from the service): the call never ran. */
export function isNoEndpoint(err: unknown): boolean {
  const type = (err as { type?: string })?.type;
  return type === "SERVICE_NOT_FOUND" || type === "SERVICE_NOT_AVAILABLE";
}

export function errorType(err: unknown): string | undefined {
  return (err as { type?: string })?.type;
}
