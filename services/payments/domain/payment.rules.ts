import type { Payment } from "../../../contracts";
import type { DeclineCode } from "./payment-provider";

/**
 * A payment record, one per order (`_id` = orderId). States:
 * PENDING (provider asked) → CHARGED | DECLINED; CHARGED → REFUNDING → REFUNDED;
 * PENDING → REFUNDING too (a refund settles an unfinished charge);
 * VOIDED: refunded before any charge, so a late charge for the order is refused.
 * Only brand and last four digits of the card are kept.
 */
export type PaymentState = "PENDING" | "CHARGED" | "DECLINED" | "REFUNDING" | "REFUNDED" | "VOIDED";

export interface PaymentDoc {
  [key: string]: unknown;
  _id: string;
  orderId: string;
  state: PaymentState;
  amountCents: number;
  currency: string;
  brand: string;
  last4: string;
  declineCode?: DeclineCode;
  providerRef?: string;
  createdAt: string;
  updatedAt: string;
}

/** The payment as callers see it; null when no money was ever taken for the order. */
export function toPayment(doc: PaymentDoc | null): Payment | null {
  if (!doc || doc.state === "DECLINED" || doc.state === "VOIDED") return null;
  const status = doc.state === "CHARGED" ? "CHARGED" : doc.state === "PENDING" ? "PENDING" : "REFUNDED";
  return {
    orderId: doc.orderId,
    status,
    amountCents: doc.amountCents,
    currency: doc.currency,
    brand: doc.brand,
    last4: doc.last4,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export const DECLINE_MESSAGES: Record<DeclineCode, string> = {
  PAYMENT_DECLINED: "The card was declined",
  INSUFFICIENT_FUNDS: "The card has insufficient funds",
};
