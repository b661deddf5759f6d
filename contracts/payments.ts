import { idRule } from "../platform/core/ids";
import { action, contract, returns } from "./define";

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
export type PaymentStatus = "PENDING" | "CHARGED" | "REFUNDED";

/** What is kept of a payment: brand and last four digits only. */
export interface Payment {
  orderId: string;
  status: PaymentStatus;
  amountCents: number;
  currency: string;
  brand: string;
  last4: string;
  createdAt: string;
  updatedAt: string;
}

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
    returns<Payment>(),
  ),
  /** Internal, idempotent by orderId; also settles a PENDING charge. No charge → null (and later charges → 409). */
  refund: action(byOrder, returns<Payment | null>()),
  /** Internal: the payment of an order, if any (a declined attempt is none). */
  get: action(byOrder, returns<Payment | null>()),
});
