import type { Card, Payment } from "../../../contracts";
import { cardBrand, checkCard, last4, type CardProblem } from "./card.rules";
import type { DeclineCode, PaymentProvider } from "./payment-provider";
import { toPayment, type PaymentDoc, type PaymentState } from "./payment.rules";

/** What the ledger needs from storage (services/payments/store.ts): one record per order, conditional moves. */
export interface PaymentStore {
  get(orderId: string): Promise<PaymentDoc | null>;
  /** False when the order has a record already (nothing changes then). */
  insert(doc: PaymentDoc): Promise<boolean>;
  /** Moves the record to `to` if it is in one of `from`; null when it was not. */
  transition(
    orderId: string,
    from: PaymentState[],
    to: PaymentState,
    at: string,
    extra?: Partial<PaymentDoc>,
  ): Promise<PaymentDoc | null>;
}

/** The card failed its checks; problems name fields only, never values. */
export class CardRefused extends Error {
  readonly expired: boolean;
  constructor(readonly problems: CardProblem[]) {
    const expired = problems.some((p) => p.type === "CARD_EXPIRED");
    super(expired ? "The card has expired" : "The card is not valid");
    this.expired = expired;
  }
}

/** The provider declined the order's charge (now or the first time it was asked). */
export class PaymentDeclined extends Error {
  constructor(
    readonly orderId: string,
    readonly code: DeclineCode,
  ) {
    super(code);
  }
}

/** The order was refunded before any charge: a late charge is refused. */
export class PaymentVoided extends Error {
  constructor(readonly orderId: string) {
    super("The payment was cancelled");
  }
}

export interface ChargeInput {
  orderId: string;
  amountCents: number;
  currency: string;
  /** Unchecked card input: checked here, used for the provider call, then dropped. */
  card: unknown;
}

/**
 * One payment per order, idempotent by orderId and safe to re-run after a crash.
 *
 * The record is claimed (PENDING) before the provider is asked, and the
 * provider call carries the orderId as idempotency key, so a repeat finishes
 * the first charge instead of making another. A refund settles whatever state
 * it finds: it returns a charge, settles a PENDING one, or voids an order never
 * charged so that a charge arriving late cannot take money.
 */
export class PaymentLedger {
  constructor(
    private readonly store: PaymentStore,
    readonly provider: PaymentProvider,
    private readonly onDecline: (code: DeclineCode) => void = () => {},
    private readonly now: () => Date = () => new Date(),
  ) {}

  async charge(input: ChargeInput): Promise<Payment> {
    const checked = checkCard(input.card, this.now());
    if ("problems" in checked) throw new CardRefused(checked.problems);
    const at = this.now().toISOString();
    const fresh: PaymentDoc = {
      _id: input.orderId,
      orderId: input.orderId,
      state: "PENDING",
      amountCents: input.amountCents,
      currency: input.currency,
      brand: cardBrand(checked.card.cardNumber),
      last4: last4(checked.card.cardNumber),
      createdAt: at,
      updatedAt: at,
    };
    // The first charge of an order claims it; repeats answer its outcome.
    const doc = (await this.store.insert(fresh)) ? fresh : await this.mustGet(input.orderId);
    const payment = await this.settle(doc, checked.card);
    if (!payment) throw new PaymentVoided(input.orderId);
    return payment;
  }

  async refund(orderId: string): Promise<Payment | null> {
    const doc = await this.store.get(orderId);
    if (doc) return this.refundDoc(doc);
    // Nothing charged: leave a tombstone so a charge arriving late
    // (a retry still in flight) cannot take money for an abandoned order.
    const at = this.now().toISOString();
    const tombstone: PaymentDoc = {
      _id: orderId,
      orderId,
      state: "VOIDED",
      amountCents: 0,
      currency: "",
      brand: "",
      last4: "",
      createdAt: at,
      updatedAt: at,
    };
    if (await this.store.insert(tombstone)) return null;
    return this.refundDoc(await this.mustGet(orderId));
  }

  async get(orderId: string): Promise<Payment | null> {
    return toPayment(await this.store.get(orderId));
  }

  /** Finishes a charge from whatever state its record is in; needs the card only for PENDING. */
  private async settle(doc: PaymentDoc, card: Card | null): Promise<Payment | null> {
    switch (doc.state) {
      case "CHARGED":
      case "REFUNDED":
        return toPayment(doc);
      case "REFUNDING":
        return this.refundDoc(doc);
      case "DECLINED":
        throw new PaymentDeclined(doc.orderId, doc.declineCode ?? "PAYMENT_DECLINED");
      case "VOIDED":
        return null;
      case "PENDING":
        break;
    }
    if (!card) return toPayment(doc);
    const outcome = await this.provider.charge({
      idempotencyKey: doc.orderId,
      amountCents: doc.amountCents,
      currency: doc.currency,
      card,
    });
    if (!outcome.approved) this.onDecline(outcome.declineCode);
    const next = outcome.approved
      ? await this.transition(doc.orderId, ["PENDING"], "CHARGED", { providerRef: outcome.reference })
      : await this.transition(doc.orderId, ["PENDING"], "DECLINED", { declineCode: outcome.declineCode });
    if (next) return this.settle(next, null);
    // A refund settled the record meanwhile; make sure it covers this charge too.
    const current = await this.mustGet(doc.orderId);
    if (outcome.approved && current.state !== "CHARGED") await this.provider.refund(doc.orderId);
    return this.settle(current, null);
  }

  private async refundDoc(doc: PaymentDoc): Promise<Payment | null> {
    if (doc.state === "DECLINED" || doc.state === "VOIDED") return null;
    if (doc.state === "REFUNDED") return toPayment(doc);
    if (doc.state !== "REFUNDING") {
      const refunding = await this.transition(doc.orderId, ["PENDING", "CHARGED"], "REFUNDING");
      if (!refunding) return this.refundDoc(await this.mustGet(doc.orderId));
    }
    await this.provider.refund(doc.orderId);
    const refunded = await this.transition(doc.orderId, ["REFUNDING"], "REFUNDED");
    return toPayment(refunded ?? (await this.mustGet(doc.orderId)));
  }

  private transition(orderId: string, from: PaymentState[], to: PaymentState, extra: Partial<PaymentDoc> = {}) {
    return this.store.transition(orderId, from, to, this.now().toISOString(), extra);
  }

  private async mustGet(orderId: string): Promise<PaymentDoc> {
    const doc = await this.store.get(orderId);
    if (!doc) throw new Error(`Payment ${orderId} disappeared`);
    return doc;
  }
}
