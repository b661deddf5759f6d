import type { CursorOptions, DbAdapter } from "moleculer-db";
import type { IndexSpec } from "../../mixins/db.mixin";
import { DocStore } from "../../platform/store/doc-store";
import { terminalChanges, type OrderDoc, type Outcome, type SagaStep } from "./domain/order.rules";

/**
 * Every field the orders' queries filter or sort by (checked by
 * test/store/service-indexes.test.ts): a user's orders, and the few orders
 * still unsettled or with an outbox entry due that the recovery and relay
 * timers look for; without these every pass would walk every order ever kept
 * (the bench profile showed it growing with history).
 */
export const orderIndexes: IndexSpec[] = [
  { field: "userId" },
  { field: "createdAt" },
  { field: "settled" },
  { field: "leaseUntil" },
  { field: "outboxPending" },
  { field: "outboxNextAt" },
];

/**
 * The orders collection: the orders service's only data access (the saga,
 * recovery and the outbox relay all go through it). Every write that the saga depends on is one atomic
 * conditional update of one order document (platform/store/doc-store.ts), so it behaves
 * the same on NeDB and MongoDB: the status transition out of PENDING has one
 * winner, a lease has one holder, an outbox entry one relay at a time.
 */
export class OrderStore {
  private readonly docs: DocStore<OrderDoc>;

  constructor(
    private readonly adapter: DbAdapter,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.docs = new DocStore<OrderDoc>(adapter);
  }

  get(id: string): Promise<OrderDoc | null> {
    return this.docs.get(id);
  }

  /** false when an order with this id exists (the same idempotency key). */
  create(doc: OrderDoc): Promise<boolean> {
    return this.docs.insert(doc);
  }

  /** Records a completed step and extends the driver's lease. */
  async stepDone(order: OrderDoc, step: SagaStep, leaseMs: number): Promise<OrderDoc> {
    const now = this.now();
    const updated = await this.docs.update(
      order._id,
      {},
      {
        $set: {
          done: { ...order.done, [step]: true },
          leaseUntil: now.getTime() + leaseMs,
          updatedAt: now.toISOString(),
        },
      },
    );
    return updated ?? { ...order, done: { ...order.done, [step]: true } };
  }

  /** PENDING → terminal, with follow-ups and outbox entry; null when the order was no longer PENDING. */
  finish(order: OrderDoc, outcome: Outcome): Promise<OrderDoc | null> {
    return this.docs.update(order._id, { status: "PENDING" }, { $set: terminalChanges(order, outcome, this.now()) });
  }

  /** Settled, with the follow-ups recorded in `order.done`. */
  async markSettled(order: OrderDoc): Promise<OrderDoc> {
    return (
      (await this.docs.update(order._id, {}, { $set: { settled: true, done: order.done } })) ?? {
        ...order,
        settled: true,
      }
    );
  }

  /** Marks a follow-up as not done (it has to run again) and the order as unsettled. */
  async reopen(order: OrderDoc, step: SagaStep): Promise<void> {
    const current = (await this.docs.get(order._id)) ?? order;
    await this.docs.update(order._id, {}, { $set: { done: { ...current.done, [step]: false }, settled: false } });
  }

  /** The checkout of a PENDING order passes to `driver` if `order.driver` still drives it; null when not. */
  takeOver(order: OrderDoc, driver: string, leaseMs: number): Promise<OrderDoc | null> {
    const now = this.now();
    return this.docs.update(
      order._id,
      { status: "PENDING", driver: order.driver ?? null },
      { $set: { driver, leaseUntil: now.getTime() + leaseMs, updatedAt: now.toISOString() } },
    );
  }

  /** Takes the lease of an unsettled order whose lease has run out; null when another driver holds it. */
  claim(id: string, leaseMs: number): Promise<OrderDoc | null> {
    const now = this.now().getTime();
    return this.docs.update(id, { settled: false, leaseUntil: { $lt: now } }, { $set: { leaseUntil: now + leaseMs } });
  }

  /** Unsettled orders nobody drives (lease run out), longest unattended first: one that keeps failing goes to the back. */
  async unattended(limit: number): Promise<OrderDoc[]> {
    const query = { settled: false, leaseUntil: { $lt: this.now().getTime() } };
    return this.find({ query, sort: ["leaseUntil"], limit });
  }

  /** Orders whose outbox entry is due for a delivery attempt. */
  async outboxDue(limit: number, includeLater = false): Promise<OrderDoc[]> {
    const query: Record<string, unknown> = { outboxPending: true };
    if (!includeLater) query.outboxNextAt = { $lte: this.now().getTime() };
    return this.find({ query, sort: ["outboxNextAt"], limit });
  }

  /** Compare-and-set on outboxNextAt: one relay attempt per order at a time, on any number of nodes. */
  claimOutbox(order: OrderDoc, nextAt: number): Promise<OrderDoc | null> {
    return this.docs.update(
      order._id,
      { outboxPending: true, outboxNextAt: order.outboxNextAt },
      { $set: { outboxNextAt: nextAt }, $inc: { outboxAttempts: 1 } },
    );
  }

  async outboxDelivered(order: OrderDoc): Promise<void> {
    await this.docs.update(
      order._id,
      { outboxPending: true },
      { $set: { outboxPending: false, outboxDeliveredAt: this.now().toISOString() } },
    );
  }

  async listForUser(userId: string, offset: number, limit: number): Promise<{ rows: OrderDoc[]; total: number }> {
    const query = { userId };
    const [docs, total] = await Promise.all([
      this.find({ query, sort: ["-createdAt", "-_id"], offset, limit }),
      this.adapter.count({ query }),
    ]);
    return { rows: docs, total };
  }

  async listAll(offset: number, limit: number): Promise<{ rows: OrderDoc[]; total: number }> {
    const [docs, total] = await Promise.all([
      this.find({ query: {}, sort: ["-createdAt", "-_id"], offset, limit }),
      this.adapter.count({ query: {} }),
    ]);
    return { rows: docs, total };
  }

  /** adapter.find takes a sort (moleculer-db's FilterOptions type omits it; CursorOptions has it). */
  private async find(options: CursorOptions): Promise<OrderDoc[]> {
    return this.found(await this.adapter.find(options));
  }

  /** Documents from adapter.find: MongoDB returns ObjectId ids, NeDB strings. */
  private found(docs: object[]): OrderDoc[] {
    return (docs as OrderDoc[]).map((d) => ({ ...d, _id: String(d._id) }));
  }
}
