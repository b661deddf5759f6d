import type { Card } from "../../../contracts";

/**
 * The payment provider seam. The payments service talks to a provider only
 * through this interface, so a real one (Stripe, Adyen, ...) replaces the
 * simulation by implementing it. Every call carries an idempotency key (the
 * orderId): real providers answer a repeated key with the first result, which
 * is what lets payments re-drive a charge after a crash without charging twice.
 */
export interface ChargeRequest {
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  card: Card;
}

export type DeclineCode = "PAYMENT_DECLINED" | "INSUFFICIENT_FUNDS";

export type ChargeOutcome = { approved: true; reference: string } | { approved: false; declineCode: DeclineCode };

export interface PaymentProvider {
  readonly name: string;
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** Returns the money of a charge made with this key; a no-op for an unknown or refunded key. */
  refund(idempotencyKey: string): Promise<void>;
}
