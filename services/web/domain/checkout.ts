import { randomUUID } from "node:crypto";
import type { Card, Order } from "../../../contracts";

/** A new Idempotency-Key: one per checkout attempt. */
export function newAttemptKey(): string {
  return randomUUID();
}

export function validAttemptKey(key: string | undefined): key is string {
  return typeof key === "string" && /^[A-Za-z0-9-]{8,128}$/.test(key);
}

export interface CardForm {
  cardNumber?: string;
  cardExpiry?: string;
  cardCvc?: string;
}

export type CardResult = { ok: true; card: Card } | { ok: false; errors: string[] };

/**
 * The card as the form sends it ("4242 4242 4242 4242", "12/30", "123").
 * Only the shape is checked here; the Luhn digit and the expiry date are the
 * orders service's to judge (it answers 422 before anything is stored).
 */
export function parseCard(form: CardForm, now = new Date()): CardResult {
  const errors: string[] = [];
  const cardNumber = (form.cardNumber ?? "").replace(/[\s-]/g, "");
  if (!/^\d{12,19}$/.test(cardNumber)) errors.push("Enter the card number: 12 to 19 digits.");
  const expiry = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(form.cardExpiry ?? "");
  const expMonth = expiry ? Number(expiry[1]) : NaN;
  const expYear = expiry ? (expiry[2].length === 2 ? 2000 + Number(expiry[2]) : Number(expiry[2])) : NaN;
  const thisYear = now.getUTCFullYear();
  if (!expiry || expMonth < 1 || expMonth > 12) errors.push("Enter the expiry date as MM/YY, for example 12/30.");
  // Any month before this one is the payments service's CARD_EXPIRED, and says what it says.
  else if (expYear < thisYear || (expYear === thisYear && expMonth < now.getUTCMonth() + 1))
    errors.push("The card has expired.");
  else if (expYear > thisYear + 30) errors.push("The expiry year is not plausible.");
  const cvc = (form.cardCvc ?? "").trim();
  if (!/^\d{3,4}$/.test(cvc)) errors.push("Enter the 3 or 4 digit security code (CVC).");
  if (errors.length) return { ok: false, errors };
  return { ok: true, card: { cardNumber, expMonth, expYear, cvc } };
}

export type CheckoutOutcome =
  | { kind: "confirmed"; order: Order }
  /** The cart is empty: nothing to check out. */
  | { kind: "empty-cart" }
  /** The attempt ended; a new one needs a new key. */
  | { kind: "failed"; status: number; message: string; order: Order | null; retryAfterS?: number }
  /** Nothing was decided (invalid card, still in progress, no answer): the same key may be sent again. */
  | { kind: "retry"; status: number; message: string; retryAfterS?: number };

interface ErrorLike {
  code?: number;
  type?: string;
  message?: string;
  name?: string;
  data?: { order?: Order; retryAfter?: number; message?: string } | unknown;
}

/**
 * What a failed `orders.checkout` call means for the shopper, in words. `retryAfterS`: what the
 * shop asks a client to wait after a 503 (the API's Retry-After), unless the error says otherwise.
 */
export function checkoutOutcome(err: unknown, retryAfterS: number): CheckoutOutcome {
  const e = (err ?? {}) as ErrorLike;
  const data = (e.data && typeof e.data === "object" ? e.data : {}) as {
    order?: Order;
    retryAfter?: number;
    message?: string;
  };
  const order = data.order ?? null;
  const wait = typeof data.retryAfter === "number" && data.retryAfter > 0 ? data.retryAfter : retryAfterS;
  const code = typeof e.code === "number" ? e.code : 500;
  if (code === 402) {
    return {
      kind: "failed",
      status: 402,
      message: `Your card was declined: ${e.message ?? "payment failed"}. Nothing was charged; try another card.`,
      order,
    };
  }
  if (code === 409 && e.type === "CHECKOUT_IN_PROGRESS") {
    return { kind: "retry", status: 409, message: "This order is still being processed. Reload in a moment." };
  }
  if (code === 409) {
    return {
      kind: "failed",
      status: 409,
      message:
        "Some items in your cart are no longer in stock in the quantity you asked for. Nothing was charged; " +
        "please change your cart.",
      order,
    };
  }
  if (code === 422 && e.type === "CART_EMPTY") return { kind: "empty-cart" };
  if (code === 422 || code === 400) {
    return { kind: "retry", status: 422, message: `The card was not accepted: ${e.message ?? "invalid card"}.` };
  }
  const message = `Checkout is unavailable right now; nothing was charged. Please try again in ${wait} s.`;
  // A stored FAILED order answers every replay of its key the same way: the next try needs a new key.
  if (order) return { kind: "failed", status: 503, message, order, retryAfterS: wait };
  return { kind: "retry", status: 503, message, retryAfterS: wait };
}
