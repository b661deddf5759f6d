import { createHash } from "node:crypto";
import type { ChargeOutcome, ChargeRequest, DeclineCode, PaymentProvider } from "./payment-provider";

/** Test cards of the simulated provider; any other valid card is approved. */
export const TEST_CARDS: Readonly<Record<string, DeclineCode>> = {
  "4000000000000002": "PAYMENT_DECLINED",
  "4000000000009995": "INSUFFICIENT_FUNDS",
};

interface LedgerEntry {
  outcome: ChargeOutcome;
  amountCents: number;
  currency: string;
  refunded: boolean;
}

/** Charges the simulated provider remembers; a real provider keeps its ledger on its side. */
export const SIMULATED_LEDGER_SIZE = 10_000;

/**
 * An in-process stand-in for a card provider: declines the test cards,
 * approves the rest, and keeps a ledger by idempotency key the way a real
 * provider does on its side (here only for the life of the process, and only
 * the latest `maxEntries` charges, so memory stays flat however many orders
 * pass). The payments store, not this ledger, is what makes a repeated charge
 * of one order a no-op (payment-ledger.ts); a retry comes within seconds,
 * long before its entry could be evicted.
 */
export class SimulatedProvider implements PaymentProvider {
  readonly name = "simulated";
  /** Insertion-ordered: the first key is the oldest charge. */
  private readonly ledger = new Map<string, LedgerEntry>();

  constructor(private readonly maxEntries = SIMULATED_LEDGER_SIZE) {}

  /** How many charges the ledger holds now. */
  get size(): number {
    return this.ledger.size;
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const known = this.ledger.get(request.idempotencyKey);
    if (known) return known.outcome;
    const declineCode = TEST_CARDS[request.card.cardNumber];
    const outcome: ChargeOutcome = declineCode
      ? { approved: false, declineCode }
      : {
          approved: true,
          reference: `sim_${createHash("sha256").update(request.idempotencyKey).digest("hex").slice(0, 16)}`,
        };
    this.ledger.set(request.idempotencyKey, {
      outcome,
      amountCents: request.amountCents,
      currency: request.currency,
      refunded: false,
    });
    if (this.ledger.size > this.maxEntries) this.ledger.delete(this.ledger.keys().next().value!);
    return outcome;
  }

  async refund(idempotencyKey: string): Promise<void> {
    const entry = this.ledger.get(idempotencyKey);
    if (entry?.outcome.approved) entry.refunded = true;
  }

  /** Money held per key (approved and not refunded): what tests check "charged once" against. */
  capturedCents(idempotencyKey: string): number {
    const entry = this.ledger.get(idempotencyKey);
    return entry?.outcome.approved && !entry.refunded ? entry.amountCents : 0;
  }

  /** How many charges were approved in total (a repeated key counts once). */
  approvedCount(): number {
    return [...this.ledger.values()].filter((e) => e.outcome.approved).length;
  }
}
