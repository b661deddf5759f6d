import { ServiceBroker } from "moleculer";
import { createAdapter } from "../../mixins/db.mixin";
import { newId } from "../../platform/core/ids";
import { DocStore, type StoredDoc } from "../../platform/store/doc-store";
import type { StoreAdapter } from "../../platform/store/store-adapter";
import { NotificationsStore } from "../../services/notifications/store";
import { OrderStore } from "../../services/orders/store";

type Item = StoredDoc & { sku: string; stock: number; status: string };

/**
 * DocStore's semantics, run against every store kind: the conditional
 * single-document writes services rely on (exactly one winner), duplicate
 * inserts, conditional removes, and queries with string ids. Each suite sets
 * the environment that selects the store before calling this.
 */
export function docStoreContract(label: string, opts: { enforcesUniqueIndexes: boolean }): void {
  describe(`DocStore contract: ${label}`, () => {
    let broker: ServiceBroker;
    let adapter: StoreAdapter;
    let store: DocStore<Item>;
    const item = (fields: Partial<Item> = {}): Item => ({
      _id: newId(),
      sku: `SKU-${Math.random()}`,
      stock: 5,
      status: "PENDING",
      ...fields,
    });

    beforeAll(async () => {
      broker = new ServiceBroker({ logger: false });
      const collection = `doc_contract_${Date.now()}`;
      adapter = createAdapter({ service: "doccontract", collection });
      const schema = { name: "doccontract", collection }; // the MongoDB adapter reads schema.collection
      adapter.init(broker, broker.createService(schema));
      await adapter.connect();
      store = new DocStore<Item>(adapter);
    });
    afterAll(async () => {
      await adapter?.disconnect();
      await broker?.stop();
    });

    it("inserts once per _id and reads back with string ids", async () => {
      const doc = item({ sku: "ONE" });
      expect(await store.insert(doc)).toBe(true);
      expect(await store.insert({ ...doc, sku: "IMPOSTOR" })).toBe(false);
      expect(await store.get(doc._id)).toEqual(doc);
      expect(await store.get(newId())).toBeNull();
      const other = item();
      await store.insert(other);
      const many = await store.getMany([doc._id, other._id, newId()]);
      expect(many.map((d) => d._id).sort()).toEqual([doc._id, other._id].sort());
    });

    it("updates only when the condition holds, and returns the new document", async () => {
      const doc = item({ stock: 2 });
      await store.insert(doc);
      expect(await store.update(doc._id, { stock: { $gte: 3 } }, { $inc: { stock: -3 } })).toBeNull();
      expect(await store.get(doc._id)).toEqual(doc);
      expect(await store.update(doc._id, { stock: { $gte: 2 } }, { $inc: { stock: -2 } })).toEqual({
        ...doc,
        stock: 0,
      });
      expect(await store.update(newId(), {}, { $set: { status: "X" } })).toBeNull();
    });

    it("gives a decrement race exactly as many winners as there are units", async () => {
      const doc = item({ stock: 5 });
      await store.insert(doc);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.update(doc._id, { stock: { $gte: 1 } }, { $inc: { stock: -1 } })),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(5);
      expect((await store.get(doc._id))?.stock).toBe(0);
    });

    it("gives a state transition race exactly one winner", async () => {
      const doc = item();
      await store.insert(doc);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.update(doc._id, { status: "PENDING" }, { $set: { status: `DONE-${i}` } }),
        ),
      );
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      expect(await store.get(doc._id)).toEqual(winners[0]);
    });

    it("removes only when the condition holds", async () => {
      const doc = item({ status: "OPEN" });
      await store.insert(doc);
      expect(await store.remove(doc._id, { status: "CLOSED" })).toBe(false);
      expect(await store.get(doc._id)).toEqual(doc);
      expect(await store.remove(doc._id, { status: "OPEN" })).toBe(true);
      expect(await store.get(doc._id)).toBeNull();
      expect(await store.remove(doc._id)).toBe(false);
    });

    it("finds, counts, sorts and pages with string ids", async () => {
      const docs = [3, 1, 2].map((stock) => item({ status: "PAGED", stock }));
      for (const d of docs) await store.insert(d);
      expect(await store.count({ status: "PAGED" })).toBe(3);
      const page = await store.find({ status: "PAGED" }, { sort: ["-stock"], offset: 1, limit: 1 });
      expect(page).toEqual([docs.find((d) => d.stock === 2)]);
      const all = await store.find({ status: "PAGED" }, { sort: ["stock"] });
      expect(all.map((d) => d.stock)).toEqual([1, 2, 3]);
    });

    it("lists one user's documents newest first, ties by id, paged, through the services' own queries", async () => {
      const userId = `user-${Date.now()}`;
      const at = (n: number) => `2026-01-0${n}T00:00:00.000Z`;
      // Two share a createdAt: the id breaks the tie, the same on every store.
      const mine = [1, 2, 2, 3].map((n) => item({ userId, createdAt: at(n) }));
      for (const d of [...mine, item({ userId: "someone-else", createdAt: at(4) })]) await store.insert(d);
      const expected = [...mine]
        .sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)) || b._id.localeCompare(a._id))
        .map((d) => d._id);

      const orders = new OrderStore(adapter);
      const firstPage = await orders.listForUser(userId, 0, 3);
      expect(firstPage.total).toBe(4);
      expect(firstPage.rows.map((d) => d._id)).toEqual(expected.slice(0, 3));
      expect((await orders.listForUser(userId, 3, 3)).rows.map((d) => d._id)).toEqual(expected.slice(3));

      const notifications = new NotificationsStore(adapter as ConstructorParameters<typeof NotificationsStore>[0]);
      expect((await notifications.forUser(userId, 2)).map((d) => d._id)).toEqual(expected.slice(0, 2));
    });

    it("creates indexes; unique ones are enforced where the store enforces them", async () => {
      await adapter.ensureIndex("status", false);
      await adapter.ensureIndex("sku", true);
      await store.insert(item({ sku: "UNIQUE-1" }));
      const inserted = await store.insert(item({ sku: "UNIQUE-1" }));
      expect(inserted).toBe(!opts.enforcesUniqueIndexes);
    });
  });
}
