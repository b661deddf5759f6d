import { idRule } from "../../platform/core/ids";

/**
 * fastest-validator schemas for the payments actions. `card` is accepted as
 * anything here and checked by card.rules.ts in the handler: the validator's
 * errors echo the offending value (`actual`), and a card number or CVC must
 * never appear in an error, a log line or a trace.
 */

export const chargeParams = {
  $$strict: true,
  orderId: idRule,
  amountCents: { type: "number", integer: true, min: 1, max: 100_000_000 },
  currency: { type: "string", length: 3, pattern: /^[A-Z]{3}$/ },
  card: { type: "any" },
} as const;

export const orderParams = { $$strict: true, orderId: idRule } as const;
