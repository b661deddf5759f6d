import { Errors } from "moleculer";
import { defineService, paymentsContract } from "../../contracts";
import { dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { UnprocessableError } from "../../platform/core/errors";
import { paymentDeclined } from "../../platform/observability/business-metrics";
import { CardRefused, PaymentDeclined, PaymentLedger, PaymentVoided } from "./domain/payment-ledger";
import { DECLINE_MESSAGES } from "./domain/payment.rules";
import { SimulatedProvider } from "./domain/simulated-provider";
import { PaymentsStore } from "./store";

interface PaymentsThis {
  /** The simulated provider; a real one implements domain/payment-provider.ts. */
  provider: SimulatedProvider;
  payments: PaymentsStore;
  ledger: PaymentLedger;
}

interface PaymentsMethods {
  translate(err: unknown): never;
}

/**
 * Card payments through a provider (simulated here), one payment per order,
 * idempotent by orderId. Card numbers and CVCs are used for the provider call
 * and dropped: only brand and last4 are stored.
 */
export default defineService<DbMethods & PaymentsMethods & PaymentsThis>()(paymentsContract, {
  mixins: [dbMixin({ service: "payments", collection: "payments" })],

  actions: {
    charge: {
      visibility: "public",
      auth: "internal",
      async handler(ctx) {
        try {
          return await this.ledger.charge(ctx.params);
        } catch (err) {
          this.translate(err);
        }
      },
    },

    refund: {
      visibility: "public",
      auth: "internal",
      handler(ctx) {
        return this.ledger.refund(ctx.params.orderId);
      },
    },

    get: {
      visibility: "public",
      auth: "internal",
      handler(ctx) {
        return this.ledger.get(ctx.params.orderId);
      },
    },
  },

  methods: {
    translate(err: unknown): never {
      if (err instanceof CardRefused) {
        throw new UnprocessableError(
          err.message,
          err.expired ? "CARD_EXPIRED" : "CARD_INVALID",
          err.problems.map(({ field, message }) => ({ field, message })),
        );
      }
      if (err instanceof PaymentDeclined) {
        throw new Errors.MoleculerClientError(DECLINE_MESSAGES[err.code], 402, err.code, { orderId: err.orderId });
      }
      if (err instanceof PaymentVoided) throw new Errors.MoleculerClientError(err.message, 409, "PAYMENT_VOIDED");
      throw err;
    },
  },

  created() {
    this.provider = new SimulatedProvider();
  },

  started() {
    this.payments = new PaymentsStore(this.adapter);
    this.ledger = new PaymentLedger(this.payments, this.provider, (code) => paymentDeclined(this.broker, code));
  },
});
