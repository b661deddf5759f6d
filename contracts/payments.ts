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

export interface PaymentsActions {
  /**
   * Internal, idempotent by orderId (a repeated charge returns the first result).
   * Declined → 402 PAYMENT_DECLINED / INSUFFICIENT_FUNDS; Luhn-invalid or expired card → 422.
   * After a refund the order answers its REFUNDED payment, never a new charge; after a
   * refund that found no charge → 409 PAYMENT_VOIDED.
   */
  "payments.charge": {
    params: { orderId: string; amountCents: number; currency: string; card: Card };
    result: Payment;
  };
  /** Internal, idempotent by orderId; also settles a PENDING charge. No charge → null (and later charges → 409). */
  "payments.refund": { params: { orderId: string }; result: Payment | null };
  /** Internal: the payment of an order, if any (a declined attempt is none). */
  "payments.get": { params: { orderId: string }; result: Payment | null };
}
