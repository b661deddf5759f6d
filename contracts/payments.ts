import { idRule } from "../platform/core/ids";
import { action, contract, type RuleType } from "../platform/contracts/define";
import { currencyRule, timestampRule } from "./common";

/** Card data as the customer sends it. Never stored, logged, traced or emitted. */
export interface Card {
  cardNumber: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/**
 * PENDING: the provider was asked but the outcome is not recorded yet (in
 * flight, or a crash); charging again with the card or refunding settles it.
 */
export const PAYMENT_STATUSES = ["PENDING", "CHARGED", "REFUNDED"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What is kept of a payment: brand and last four digits only (strict: nothing else). */
const payment = {
  type: "object",
  strict: true,
  props: {
    orderId: idRule,
    status: { type: "enum", values: PAYMENT_STATUSES },
    amountCents: { type: "number", integer: true, min: 1 },
    currency: currencyRule,
    brand: { type: "string" },
    last4: { type: "string", pattern: /^\d{4}$/ },
    createdAt: timestampRule,
    updatedAt: timestampRule,
  },
} as const;
export type Payment = RuleType<typeof payment>;
const paymentOrNone = { ...payment, nullable: true } as const;

const byOrder = { $$strict: true, orderId: idRule } as const;

export const paymentsContract = contract("payments", {
  /**
   * Internal, idempotent by orderId (a repeated charge returns the first result).
   * Declined → 402 PAYMENT_DECLINED / INSUFFICIENT_FUNDS; Luhn-invalid or expired card → 422.
   * After a refund the order answers its REFUNDED payment, never a new charge; after a
   * refund that found no charge → 409 PAYMENT_VOIDED.
   *
   * `card` passes the validator as anything and is checked by the card rules in the
   * handler: the validator's errors echo the offending value (`actual`), and a card
   * number or CVC must never appear in an error, a log line or a trace.
   */
  charge: action(
    {
      $$strict: true,
      orderId: idRule,
      amountCents: { type: "number", integer: true, min: 1, max: 100_000_000 },
      currency: { type: "string", length: 3, pattern: /^[A-Z]{3}$/ },
      card: { type: "any" },
    },
    payment,
  ),
  /** Internal, idempotent by orderId; also settles a PENDING charge. No charge → null (and later charges → 409). */
  refund: action(byOrder, paymentOrNone),
  /** Internal: the payment of an order, if any (a declined attempt is none). */
  get: action(byOrder, paymentOrNone),
});
