import type { Card, Cart, Payment, StockItem } from "../../../contracts";
import { UnprocessableError } from "../../../platform/core/errors";
import type { OrderStore } from "../store";
import {
  errorType,
  isClientError,
  isNoEndpoint,
  newOrderDoc,
  orderIdFor,
  type FollowUp,
  type OrderDoc,
  type Outcome,
  type OutboxEntry,
  type SagaStep,
} from "./order.rules";

/**
 * The checkout saga, orchestrated here:
 *
 *   PENDING (cart snapshot) → reserve → charge → CONFIRMED → commit → empty cart   (+ order.confirmed)
 *   out of stock            → REJECTED → release                                   (+ order.failed)
 *   declined                → FAILED   → refund (no-op) → release                  (+ order.failed)
 *
 * Every step is idempotent by orderId in the service that applies it, so any
 * driver can pick up an order where a crashed one left it. A step's completion
 * travels with the order's next write (the terminal transition, or the write
 * that settles it), not a write of its own: recovery never needs it (it asks
 * payments whether the order was charged, and re-runs idempotent follow-ups),
 * and each write of an order costs every index of the collection. The last
 * follow-up is written at once (with `settled`); a step is written on its own
 * when a third of the lease has gone by, which extends the lease. Leaving PENDING is one conditional
 * write (status: PENDING → ...) that also records the follow-ups the new
 * status requires and the outbox entry: whoever wins it decides the outcome,
 * and the follow-ups make everything else agree with it.
 */

/** What the saga needs from other services (the orders service wires them to actions). */
export interface CheckoutPorts {
  cartSnapshot(userId: string): Promise<Cart>;
  reserve(orderId: string, items: StockItem[]): Promise<unknown>;
  release(orderId: string): Promise<unknown>;
  charge(orderId: string, amountCents: number, currency: string, card: Card): Promise<Payment>;
  paymentOf(orderId: string): Promise<Payment | null>;
  refund(orderId: string): Promise<unknown>;
  commit(orderId: string): Promise<unknown>;
  emptyCart(userId: string): Promise<unknown>;
  /** Plain event for whoever listens; durable delivery is the outbox's job. */
  announce(entry: OutboxEntry): Promise<unknown>;
}

export interface SagaDeps {
  store: OrderStore;
  ports: CheckoutPorts;
  /** How long a driver owns an order after its last step (ORDERS_PENDING_TIMEOUT_MS). */
  leaseMs: number;
  /** Crash points for tests (dev/fault-injection.ts); a no-op in production. */
  faultPoint(name: string): void;
  log: { warn(...args: unknown[]): void };
  /** Called after each terminal transition (the outbox relay runs right away). */
  onTerminal?(order: OrderDoc): void;
  now?(): Date;
  sleep?(ms: number): Promise<void>;
  /** Charge attempts on errors that say nothing about the outcome (timeouts, 5xx). */
  chargeAttempts?: number;
  /** This process as an order's driver, and whether another driver's process is gone (dead, hung, restarted). */
  driver?: { id: string; gone(driver: string): Promise<boolean> };
}

export interface CheckoutInput {
  userId: string;
  idempotencyKey: string;
  card: Card;
  /** How long a repeated request waits for the first one to finish. */
  waitMs: number;
}

/** Checks out the user's cart once per idempotency key; returns the order in its terminal (or, rarely, PENDING) state. */
export async function checkout(deps: SagaDeps, input: CheckoutInput): Promise<OrderDoc> {
  const orderId = orderIdFor(input.userId, input.idempotencyKey);
  const existing = await deps.store.get(orderId);
  if (existing) return awaitOutcome(deps, existing, input);

  const cart = await deps.ports.cartSnapshot(input.userId);
  if (cart.items.length === 0) throw new UnprocessableError("The cart is empty", "CART_EMPTY");

  const order = newOrderDoc(orderId, input.userId, cart, now(deps), deps.leaseMs, deps.driver?.id ?? null);
  if (!(await deps.store.create(order))) {
    // The same key arrived twice at once; the other request drives the order.
    return awaitOutcome(deps, (await deps.store.get(orderId)) ?? order, input);
  }
  return drive(deps, order, input.card);
}

async function drive(deps: SagaDeps, order: OrderDoc, card: Card): Promise<OrderDoc> {
  const decided = await runSteps(deps, order, card);
  return settleQuietly(deps, decided);
}

async function runSteps(deps: SagaDeps, pending: OrderDoc, card: Card): Promise<OrderDoc> {
  const { ports } = deps;
  let order = pending;

  deps.faultPoint("orders:before-reserve");
  try {
    await ports.reserve(
      order._id,
      order.items.map(({ productId, quantity }) => ({ productId, quantity })),
    );
  } catch (err) {
    if (isClientError(err)) {
      return finish(deps, order, {
        status: "REJECTED",
        failureReason: errorType(err) === "OUT_OF_STOCK" ? "Not enough stock" : err.message,
        failureCode: 409,
        failureType: errorType(err) ?? "OUT_OF_STOCK",
      });
    }
    return finish(deps, order, unavailable("inventory", err, deps));
  }
  order = await stepDone(deps, order, "reserve");
  deps.faultPoint("orders:after-reserve");

  let payment: Payment;
  try {
    payment = await chargeWithRetries(deps, order, card);
  } catch (err) {
    if (isClientError(err)) {
      return finish(deps, order, {
        status: "FAILED",
        failureReason: err.message,
        failureCode: err.code,
        failureType: errorType(err),
      });
    }
    // The charge may or may not have happened; payments knows.
    const known = await ports.paymentOf(order._id).catch(() => null);
    if (known?.status !== "CHARGED") return finish(deps, order, unavailable("payments", err, deps));
    payment = known;
  }
  if (payment.status !== "CHARGED") {
    // Only possible when recovery already gave the order up and refunded it.
    return finish(deps, order, unavailable("payments", new Error(`payment ${payment.status}`), deps));
  }
  order = await stepDone(deps, order, "charge");
  deps.faultPoint("orders:after-charge");

  const decided = await finish(deps, order, {
    status: "CONFIRMED",
    payment: { brand: payment.brand, last4: payment.last4 },
  });
  // Recovery failed the order while our charge was in flight: the money goes back.
  if (decided.status !== "CONFIRMED") await refundLateCharge(deps, decided);
  return decided;
}

/**
 * Records a step as done: in the order in hand, written with the order's next
 * write; written now (lease extended) once a third of the lease is used up, so
 * that a slow step never lets recovery take an order that is being driven.
 */
async function stepDone(deps: SagaDeps, order: OrderDoc, step: SagaStep): Promise<OrderDoc> {
  if (order.leaseUntil - now(deps).getTime() < (deps.leaseMs * 2) / 3) {
    return deps.store.stepDone(order, step, deps.leaseMs);
  }
  return { ...order, done: { ...order.done, [step]: true } };
}

async function chargeWithRetries(deps: SagaDeps, order: OrderDoc, card: Card): Promise<Payment> {
  const attempts = deps.chargeAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      // Idempotent by orderId: a retry after a lost answer returns the first charge.
      return await deps.ports.charge(order._id, order.totalCents, order.currency, card);
    } catch (err) {
      // No payments node: nothing was sent, and waiting here would only delay the 503.
      if (isClientError(err) || isNoEndpoint(err) || attempt >= attempts) throw err;
      await (deps.sleep ?? delay)(100 * 2 ** attempt);
    }
  }
}

function unavailable(service: string, err: unknown, deps: SagaDeps): Outcome {
  deps.log.warn(`Checkout failed: ${service} unavailable:`, (err as Error)?.message);
  const what = service[0].toUpperCase() + service.slice(1);
  return {
    status: "FAILED",
    failureReason: `${what} is unavailable; nothing was charged. Please try again.`,
    failureCode: 503,
    failureType: "SERVICE_UNAVAILABLE",
    unavailable: service,
  };
}

/** Leaves PENDING; if another driver got there first, its decision stands. */
async function finish(deps: SagaDeps, order: OrderDoc, outcome: Outcome): Promise<OrderDoc> {
  const decided = await deps.store.finish(order, outcome);
  if (!decided) return (await deps.store.get(order._id)) ?? order;
  deps.faultPoint(decided.status === "CONFIRMED" ? "orders:after-confirm" : "orders:after-fail");
  if (decided.outbox) {
    deps.ports.announce(decided.outbox).catch((err) => deps.log.warn("Could not announce", err?.message));
  }
  deps.onTerminal?.(decided);
  return decided;
}

async function refundLateCharge(deps: SagaDeps, order: OrderDoc): Promise<void> {
  try {
    await deps.ports.refund(order._id);
  } catch (err) {
    deps.log.warn(`Refund of order ${order._id} failed; recovery retries it:`, (err as Error)?.message);
    await deps.store.reopen(order, "refund");
  }
}

/**
 * A repeated request: wait (bounded) for the first one to finish, then answer
 * what it answered. When the process driving it is gone (killed, hung,
 * restarted: the gateway's retry of a call lost with it lands here), this
 * request drives the order itself, with its own card: every step is idempotent
 * by order id, and leaving PENDING is one conditional write, so a driver
 * judged gone wrongly (only slow) and this one agree on one outcome.
 */
async function awaitOutcome(deps: SagaDeps, order: OrderDoc, input: CheckoutInput): Promise<OrderDoc> {
  const deadline = now(deps).getTime() + input.waitMs;
  let current = order;
  let nextCheck = 0;
  for (;;) {
    if (current.status !== "PENDING") return current;
    const at = now(deps).getTime();
    if (at >= nextCheck) {
      const taken = await takeOverFromGoneDriver(deps, current);
      if (taken) return drive(deps, taken, input.card);
      nextCheck = at + DRIVER_CHECK_MS;
    }
    if (at >= deadline) return current;
    await (deps.sleep ?? delay)(50);
    current = (await deps.store.get(order._id)) ?? current;
  }
}

/** How often a waiting request checks that the order's driver is still there. */
const DRIVER_CHECK_MS = 1000;

async function takeOverFromGoneDriver(deps: SagaDeps, order: OrderDoc): Promise<OrderDoc | null> {
  const self = deps.driver;
  if (!self || !order.driver || order.driver === self.id || order.status !== "PENDING") return null;
  if (!(await self.gone(order.driver))) return null;
  const taken = await deps.store.takeOver(order, self.id, deps.leaseMs);
  if (taken) deps.log.warn(`Order ${order._id}: its driver ${order.driver} is gone; this request drives it now.`);
  return taken;
}

/**
 * Runs the follow-ups a terminal status requires (commit and empty the cart,
 * or refund and release), recording each, then marks the order settled.
 * Throws on the first one that cannot run now; recovery resumes from there.
 */
export async function settle(deps: SagaDeps, decided: OrderDoc): Promise<OrderDoc> {
  let order = decided;
  if (order.status === "PENDING" || order.settled) return order;
  for (const step of order.todo) {
    if (order.done[step]) continue;
    await runFollowUp(deps, order, step);
    order = await stepDone(deps, order, step);
    deps.faultPoint(`orders:after-${kebab(step)}`);
  }
  return deps.store.markSettled(order);
}

async function settleQuietly(deps: SagaDeps, order: OrderDoc): Promise<OrderDoc> {
  try {
    return await settle(deps, order);
  } catch (err) {
    // The customer's answer does not depend on follow-ups; recovery finishes them.
    deps.log.warn(`Follow-ups of order ${order._id} postponed:`, (err as Error)?.message);
    return order;
  }
}

async function runFollowUp(deps: SagaDeps, order: OrderDoc, step: FollowUp): Promise<void> {
  const { ports } = deps;
  try {
    if (step === "commit") await ports.commit(order._id);
    else if (step === "emptyCart") await ports.emptyCart(order.userId);
    else if (step === "release") await ports.release(order._id);
    else await ports.refund(order._id);
  } catch (err) {
    // A definitive "no" (e.g. nothing to commit) cannot change by retrying; record it and move on.
    if (!isClientError(err)) throw err;
    deps.log.warn(`Follow-up ${step} of order ${order._id} refused:`, err.message);
  }
}

/**
 * Drives one order nobody else drives (its lease ran out) to a settled state.
 * Card data is never stored, so an order that was not charged cannot be
 * charged now: it fails (refund is a no-op, the reservation is released). One
 * that was charged is confirmed. Returns null when another driver holds it.
 */
export async function recoverOrder(deps: SagaDeps, id: string): Promise<OrderDoc | null> {
  let order = await deps.store.claim(id, deps.leaseMs);
  if (!order) return null;
  if (order.status === "PENDING") {
    // Throws when payments cannot answer: the order stays PENDING until it can.
    const payment = await deps.ports.paymentOf(order._id);
    order =
      payment?.status === "CHARGED"
        ? await finish(deps, order, { status: "CONFIRMED", payment: { brand: payment.brand, last4: payment.last4 } })
        : await finish(deps, order, {
            status: "FAILED",
            failureReason: "The checkout was interrupted before the payment completed; nothing was charged.",
            failureCode: 409,
            failureType: "CHECKOUT_INTERRUPTED",
          });
  }
  return settle(deps, order);
}

/** One recovery pass over unsettled orders whose driver is gone; returns how many it drove. */
export async function recoverUnattended(deps: SagaDeps, olderThanMs = 0, limit = 100): Promise<number> {
  let recovered = 0;
  const cutoff = now(deps).getTime() - olderThanMs;
  for (const candidate of await deps.store.unattended(limit)) {
    if (candidate.status === "PENDING" && Date.parse(candidate.updatedAt) > cutoff) continue;
    try {
      if (await recoverOrder(deps, candidate._id)) recovered++;
    } catch (err) {
      deps.log.warn(`Recovery of order ${candidate._id} postponed:`, (err as Error)?.message);
    }
  }
  return recovered;
}

const now = (deps: SagaDeps) => (deps.now ?? (() => new Date()))();
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const kebab = (step: string) => step.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
