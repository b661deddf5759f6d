import type { Card } from "../../../contracts";
import { luhnValid } from "../../../platform/core/luhn";

/**
 * Card rules, free of Moleculer: number checks, brand, expiry. Problems are
 * reported by field name only; the value never goes into a message, because
 * messages end up in error responses and logs.
 */

export type CardBrand = "visa" | "mastercard" | "amex" | "discover" | "unknown";

export interface CardProblem {
  field: string;
  type: "CARD_INVALID" | "CARD_EXPIRED";
  message: string;
}

export { luhnValid };

/** The brand from the number's prefix (IIN ranges). */
export function cardBrand(digits: string): CardBrand {
  if (/^4/.test(digits)) return "visa";
  if (/^(5[1-5]|2(2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/.test(digits)) return "mastercard";
  if (/^3[47]/.test(digits)) return "amex";
  if (/^(6011|65|64[4-9])/.test(digits)) return "discover";
  return "unknown";
}

/** A card is good through the last day of its expiry month. */
export function isExpired(expMonth: number, expYear: number, now: Date = new Date()): boolean {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  return expYear < year || (expYear === year && expMonth < month);
}

/** Spaces and dashes people type between digit groups are not part of the number. */
export function normalizeCardNumber(cardNumber: string): string {
  return cardNumber.replace(/[\s-]/g, "");
}

export function last4(digits: string): string {
  return digits.slice(-4);
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/**
 * Checks card input of unknown shape. Returns the card with a normalized
 * number, or the problems found (field names and reasons, never values).
 */
export function checkCard(input: unknown, now: Date = new Date()): { card: Card } | { problems: CardProblem[] } {
  const invalid = (field: string, message: string): CardProblem => ({
    field: `card.${field}`,
    type: "CARD_INVALID",
    message,
  });
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return { problems: [{ field: "card", type: "CARD_INVALID", message: "The card must be an object." }] };
  }
  const raw = input as Record<string, unknown>;
  const problems: CardProblem[] = [];
  for (const key of Object.keys(raw)) {
    if (!["cardNumber", "expMonth", "expYear", "cvc"].includes(key)) problems.push(invalid(key, "Unknown card field."));
  }
  const number =
    typeof raw.cardNumber === "string" && raw.cardNumber.length <= 40 ? normalizeCardNumber(raw.cardNumber) : "";
  if (!/^\d{12,19}$/.test(number)) problems.push(invalid("cardNumber", "The card number must have 12 to 19 digits."));
  else if (!luhnValid(number)) problems.push(invalid("cardNumber", "The card number is not valid."));
  if (!isInt(raw.expMonth) || raw.expMonth < 1 || raw.expMonth > 12) {
    problems.push(invalid("expMonth", "The expiry month must be an integer from 1 to 12."));
  }
  if (!isInt(raw.expYear) || raw.expYear < 2000 || raw.expYear > 2100) {
    problems.push(invalid("expYear", "The expiry year must be a four-digit year."));
  }
  if (typeof raw.cvc !== "string" || !/^\d{3,4}$/.test(raw.cvc)) {
    problems.push(invalid("cvc", "The CVC must have 3 or 4 digits."));
  }
  if (problems.length) return { problems };
  const card: Card = {
    cardNumber: number,
    expMonth: raw.expMonth as number,
    expYear: raw.expYear as number,
    cvc: raw.cvc as string,
  };
  if (isExpired(card.expMonth, card.expYear, now)) {
    return { problems: [{ field: "card.expYear", type: "CARD_EXPIRED", message: "The card has expired." }] };
  }
  return { card };
}
