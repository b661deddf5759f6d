import { Errors, type Context, type ServiceSchema, type ServiceSettingSchema } from "moleculer";
import type { Payment, PaymentsActions } from "../../contracts";
import { dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { DocStore } from "../../platform/store/doc-store";
import { UnprocessableError } from "../../platform/core/errors";
import { paymentDeclined } from "../../platform/observability/business-metrics";
import { cardBrand, checkCard, last4 } from "./card.rules";
import { SimulatedProvider, type PaymentProvider } from "./payment-provider";
import { DECLINE_MESSAGES, toPayment, type PaymentDoc, type PaymentState } from "./payment.rules";
import { chargeParams, orderParams } from "./payments.params";

type ChargeParams = PaymentsActions["payments.charge"]["params"];

interface PaymentsThis {
  provider: PaymentProvider;
  payments: DocStore<PaymentDoc>;
}

interface PaymentsMethods {
  settle(doc: PaymentDoc, params: ChargeParams | null): Promise<Payment | null>;
  refundDoc(doc: PaymentDoc): Promise<Payment | null>;
  transition(orderId: string, from: PaymentState[], to: PaymentState, extra?: object): Promise<PaymentDoc | null>;
}

function declined(doc: PaymentDoc): Errors.MoleculerClientError {
  const code = doc.declineCode ?? "PAYMENT_DECLINED";
  return new Errors.MoleculerClientError(DECLINE_MESSAGES[code], 402, code, { orderId: doc.orderId });
}

/**
 * Card payments through a provider (simulated here; see payment-provider.ts),
 * one payment per order, idempotent by orderId. Card numbers and CVCs are used
 * for the provider call and dropped: only brand and last4 are stored.
 */
const PaymentsService: ServiceSchema<ServiceSettingSchema, DbMethods & PaymentsMethods & PaymentsThis> = {
  name: "payments",
  mixins: [dbMixin({ service: "payments", collection: "payments" })],

  actions: {
    charge: {
      visibility: "public",
      params: chargeParams,
      async handler(ctx: Context<ChargeParams>): Promise<Payment> {
        const checked = checkCard(ctx.params.card);
        if ("problems" in checked) {
          const expired = checked.problems.some((p) => p.type === "CARD_EXPIRED");
          throw new UnprocessableError(
            expired ? "The card has expired" : "The card is not valid",
            expired ? "CARD_EXPIRED" : "CARD_INVALID",
            checked.problems.map(({ field, message }) => ({ field, message })),
          );
        }
        const params = { ...ctx.params, card: checked.card };
        const now = new Date().toISOString();
        const fresh: PaymentDoc = {
          _id: params.orderId,
          orderId: params.orderId,
          state: "PENDING",
          amountCents: params.amountCents,
          currency: params.currency,
          brand: cardBrand(checked.card.cardNumber),
          last4: last4(checked.card.cardNumber),
          createdAt: now,
          updatedAt: now,
        };
        // The first charge of an order claims it; repeats answer its outcome.
        const doc = (await this.payments.insert(fresh)) ? fresh : await this.payments.get(params.orderId);
        const payment = await this.settle(doc!, params);
        if (!payment) throw new Errors.MoleculerClientError("The payment was cancelled", 409, "PAYMENT_VOIDED");
        return payment;
      },
    },

    refund: {
      visibility: "public",
      params: orderParams,
      async handler(ctx: Context<{ orderId: string }>): Promise<Payment | null> {
        const { orderId } = ctx.params;
        const doc = await this.payments.get(orderId);
        if (doc) return this.refundDoc(doc);
        // Nothing charged: leave a tombstone so a charge arriving late
        // (a retry still in flight) cannot take money for an abandoned order.
        const now = new Date().toISOString();
        const tombstone: PaymentDoc = {
          _id: orderId,
          orderId,
          state: "VOIDED",
          amountCents: 0,
          currency: "",
          brand: "",
          last4: "",
          createdAt: now,
          updatedAt: now,
        };
        if (await this.payments.insert(tombstone)) return null;
        return this.refundDoc((await this.payments.get(orderId))!);
      },
    },

    get: {
      visibility: "public",
      params: orderParams,
      async handler(ctx: Context<{ orderId: string }>): Promise<Payment | null> {
        return toPayment(await this.payments.get(ctx.params.orderId));
      },
    },
  },

  methods: {
    /** Finishes a charge from whatever state its record is in; needs the card only for PENDING. */
    async settle(doc: PaymentDoc, params: ChargeParams | null): Promise<Payment | null> {
      switch (doc.state) {
        case "CHARGED":
        case "REFUNDED":
          return toPayment(doc);
        case "REFUNDING":
          return this.refundDoc(doc);
        case "DECLINED":
          throw declined(doc);
        case "VOIDED":
          return null;
        case "PENDING":
          break;
      }
      if (!params) return toPayment(doc);
      const outcome = await this.provider.charge({
        idempotencyKey: doc.orderId,
        amountCents: doc.amountCents,
        currency: doc.currency,
        card: params.card,
      });
      if (!outcome.approved) paymentDeclined(this.broker, outcome.declineCode);
      const next = outcome.approved
        ? await this.transition(doc.orderId, ["PENDING"], "CHARGED", { providerRef: outcome.reference })
        : await this.transition(doc.orderId, ["PENDING"], "DECLINED", { declineCode: outcome.declineCode });
      if (next) return this.settle(next, null);
      // A refund settled the record meanwhile; make sure it covers this charge too.
      const current = (await this.payments.get(doc.orderId))!;
      if (outcome.approved && current.state !== "CHARGED") await this.provider.refund(doc.orderId);
      return this.settle(current, null);
    },

    async refundDoc(doc: PaymentDoc): Promise<Payment | null> {
      if (doc.state === "DECLINED" || doc.state === "VOIDED") return null;
      if (doc.state === "REFUNDED") return toPayment(doc);
      if (doc.state !== "REFUNDING") {
        const refunding = await this.transition(doc.orderId, ["PENDING", "CHARGED"], "REFUNDING");
        if (!refunding) return this.refundDoc((await this.payments.get(doc.orderId))!);
      }
      await this.provider.refund(doc.orderId);
      const refunded = await this.transition(doc.orderId, ["REFUNDING"], "REFUNDED");
      return toPayment(refunded ?? (await this.payments.get(doc.orderId)));
    },

    transition(orderId: string, from: PaymentState[], to: PaymentState, extra: object = {}) {
      return this.payments.update(
        orderId,
        { state: { $in: from } },
        { $set: { state: to, updatedAt: new Date().toISOString(), ...extra } },
      );
    },
  },

  created() {
    this.provider = new SimulatedProvider();
  },

  started() {
    this.payments = new DocStore<PaymentDoc>(this.adapter);
  },
};

export default PaymentsService;
