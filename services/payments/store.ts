import type { DbAdapter } from "moleculer-db";
import { DocStore } from "../../platform/store/doc-store";
import type { PaymentStore } from "./domain/payment-ledger";
import type { PaymentDoc, PaymentState } from "./domain/payment.rules";

/** The payments service's only data access: one record per order (`_id` = orderId). */
export class PaymentsStore implements PaymentStore {
  private readonly docs: DocStore<PaymentDoc>;

  constructor(adapter: DbAdapter) {
    this.docs = new DocStore<PaymentDoc>(adapter);
  }

  get(orderId: string): Promise<PaymentDoc | null> {
    return this.docs.get(orderId);
  }

  insert(doc: PaymentDoc): Promise<boolean> {
    return this.docs.insert(doc);
  }

  transition(
    orderId: string,
    from: PaymentState[],
    to: PaymentState,
    at: string,
    extra: Partial<PaymentDoc> = {},
  ): Promise<PaymentDoc | null> {
    return this.docs.update(orderId, { state: { $in: from } }, { $set: { state: to, updatedAt: at, ...extra } });
  }
}
