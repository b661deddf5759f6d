import type { ServiceBroker } from "moleculer";
import type { Page, Product } from "../../contracts";
import { startNode, type TestNode } from "../helpers/node";

/**
 * One contract for the catalog's store, run against every store kind
 * (NeDB in memory, NeDB files, the MongoDB-wire test server, and a real
 * MongoDB when MONGO_URI is given). Each suite sets the environment that
 * selects the store before calling this.
 */
export function catalogStoreContract(label: string): void {
  describe(`catalog store contract: ${label}`, () => {
    let node: TestNode;
    let broker: ServiceBroker;

    beforeAll(async () => {
      node = await startNode(["catalog"], { cacher: false });
      broker = node.broker;
    });
    afterAll(() => node.stop());

    const create = (sku: string, extra: Record<string, unknown> = {}) =>
      broker.call<Product, object>("catalog.create", {
        sku,
        name: `Product ${sku}`,
        priceCents: 1000,
        currency: "EUR",
        category: "contract",
        ...extra,
      });
    const list = (params: object) => broker.call<Page<Product>, object>("catalog.list", params);

    it("seeds an empty store once", async () => {
      expect((await list({ pageSize: 100 })).total).toBeGreaterThanOrEqual(20);
    });

    it("creates, reads back, updates and removes a product", async () => {
      const created = await create("CT-1", { tags: ["x"] });
      expect(created.id).toMatch(/^[0-9a-f]{24}$/);
      // No inventory runs here, so the catalog cannot know availability: null.
      expect(await broker.call("catalog.get", { id: created.id })).toEqual({
        ...created,
        available: null,
        availableReason: expect.any(String),
      });

      const updated = await broker.call<Product, object>("catalog.update", { id: created.id, priceCents: 1500 });
      expect(updated).toMatchObject({ id: created.id, priceCents: 1500, sku: "CT-1" });
      expect(updated.updatedAt >= created.updatedAt).toBe(true);

      const removed = await broker.call<Product, object>("catalog.remove", { id: created.id });
      expect(removed.id).toBe(created.id);
      await expect(broker.call("catalog.get", { id: created.id })).rejects.toMatchObject({ code: 404 });
      await expect(broker.call("catalog.remove", { id: created.id })).rejects.toMatchObject({ code: 404 });
      await expect(broker.call("catalog.update", { id: created.id, name: "x" })).rejects.toMatchObject({ code: 404 });
    });

    it("refuses a duplicate sku with 409 and keeps the original", async () => {
      const original = await create("CT-DUP");
      await expect(create("ct-dup", { name: "Impostor" })).rejects.toMatchObject({ code: 409, type: "CONFLICT" });
      const other = await create("CT-OTHER");
      await expect(broker.call("catalog.update", { id: other.id, sku: "CT-DUP" })).rejects.toMatchObject({
        code: 409,
      });
      const matches = await list({ q: "CT-DUP", pageSize: 100 });
      expect(await broker.call("catalog.get", { id: original.id })).toEqual({
        ...original,
        available: null,
        availableReason: expect.any(String),
      });
      expect(matches.rows.every((p) => p.name !== "Impostor")).toBe(true);
    });

    it("updates a product that resends its own sku (a PATCH of the whole form, the seed)", async () => {
      const created = await create("CT-KEEP");
      const updated = await broker.call<Product, object>("catalog.update", {
        id: created.id,
        sku: "CT-KEEP",
        name: "Kept sku",
      });
      expect(updated).toMatchObject({ id: created.id, sku: "CT-KEEP", name: "Kept sku" });
      const recased = await broker.call<Product, object>("catalog.update", { id: created.id, sku: "ct-keep" });
      expect(recased).toMatchObject({ id: created.id, sku: "CT-KEEP" });
    });

    it("filters, searches, sorts and pages in the store", async () => {
      await create("CT-S1", { name: "Zebra lamp", category: "sorting", priceCents: 300 });
      await create("CT-S2", { name: "Alpha lamp", category: "sorting", priceCents: 100 });
      await create("CT-S3", { name: "Middle lamp", category: "sorting", priceCents: 200, description: "not bright" });
      await create("CT-S4", { name: "Hidden lamp", category: "sorting", active: false });

      const byName = await list({ category: "sorting", sort: "name" });
      expect(byName.rows.map((p) => p.name)).toEqual(["Alpha lamp", "Middle lamp", "Zebra lamp"]);
      expect(byName.total).toBe(3);

      const byPriceDesc = await list({ category: "sorting", sort: "-priceCents", pageSize: 2, page: 1 });
      expect(byPriceDesc.rows.map((p) => p.priceCents)).toEqual([300, 200]);
      expect(byPriceDesc).toMatchObject({ total: 3, totalPages: 2 });
      const page2 = await list({ category: "sorting", sort: "-priceCents", pageSize: 2, page: 2 });
      expect(page2.rows.map((p) => p.priceCents)).toEqual([100]);

      expect((await list({ q: "BRIGHT" })).rows.map((p) => p.sku)).toEqual(["CT-S3"]);
      expect((await list({ q: "lamp", category: "sorting" })).total).toBe(3);
      expect((await list({ q: "(unbalanced" })).total).toBe(0);
    });

    it("leaves stored data unchanged after rejected writes", async () => {
      const before = await list({ pageSize: 100, sort: "createdAt" });
      await expect(create("CT-BAD", { priceCents: -1 })).rejects.toMatchObject({ code: 422 });
      await expect(create("CT-BAD", { currency: { $ne: 1 } })).rejects.toMatchObject({ code: 422 });
      await expect(broker.call("catalog.update", { id: before.rows[0].id, priceCents: "lots" })).rejects.toMatchObject({
        code: 422,
      });
      await expect(broker.call("catalog.update", { id: { $ne: "" }, name: "x" })).rejects.toMatchObject({ code: 422 });
      const after = await list({ pageSize: 100, sort: "createdAt" });
      expect(after).toEqual(before);
    });
  });
}
