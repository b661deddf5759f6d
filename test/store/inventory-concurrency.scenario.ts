import { call, type Product } from "../../contracts";
import { newId } from "../../platform/core/ids";
import { SPENT_MARKER_TTL_MS, type InventoryStore } from "../../services/inventory/store";
import { startNode, type TestNode } from "../helpers/node";

/**
 * The oversell race, run by one suite per store: 20 checkouts reserve the
 * same product with 5 units left, at once. Exactly 5 win, the others get 409
 * OUT_OF_STOCK, and every unit is accounted for.
 */
export function inventoryConcurrencyScenario(storeName: string): void {
  describe(`inventory under concurrency (${storeName})`, () => {
    let node: TestNode;
    let product: Product;

    beforeAll(async () => {
      node = await startNode(["catalog", "inventory"]);
      product = await call(node.broker, "catalog.create", {
        sku: `RACE-${Date.now()}`,
        name: "Last units",
        priceCents: 1000,
        currency: "EUR",
        category: "test",
      });
      await call(node.broker, "inventory.set", { productId: product.id, quantity: 5 });
    });
    afterAll(async () => {
      await node?.stop();
    });

    it("20 concurrent reservations of 1 unit for 5 units: exactly 5 succeed", async () => {
      const orders = Array.from({ length: 20 }, () => newId());
      const results = await Promise.allSettled(
        orders.map((orderId) =>
          call(node.broker, "inventory.reserve", { orderId, items: [{ productId: product.id, quantity: 1 }] }),
        ),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
      expect(won).toHaveLength(5);
      expect(lost).toHaveLength(15);
      for (const r of lost) expect(r.reason).toMatchObject({ code: 409, type: "OUT_OF_STOCK" });

      const level = await call(node.broker, "inventory.get", { productId: product.id });
      expect(level).toMatchObject({ available: 0, reserved: 5, committed: 0 });

      // Winners commit and losers retry: still nothing oversold, and the sum holds.
      const winners = orders.filter((_, i) => results[i].status === "fulfilled");
      await Promise.all(winners.map((orderId) => call(node.broker, "inventory.commit", { orderId })));
      await Promise.allSettled(
        orders.map((orderId) =>
          call(node.broker, "inventory.reserve", { orderId, items: [{ productId: product.id, quantity: 1 }] }),
        ),
      );
      const after = await call(node.broker, "inventory.get", { productId: product.id });
      expect(after).toMatchObject({ available: 0, reserved: 0, committed: 5 });
    });

    it("a hold from a node that hung mid-reserve and resumed after the order was sold or released holds nothing", async () => {
      // What the resumed node does next: its hold for the order, on a row the twin has already moved on.
      const store = (node.broker.getLocalService("inventory") as unknown as { store: InventoryStore }).store;
      const late = await call(node.broker, "catalog.create", {
        sku: `LATE-${Date.now()}`,
        name: "Late hold",
        priceCents: 700,
        currency: "EUR",
        category: "test",
      });
      await call(node.broker, "inventory.set", { productId: late.id, quantity: 4 });
      const item = { productId: late.id, quantity: 1 };
      const sold = newId();
      await call(node.broker, "inventory.reserve", { orderId: sold, items: [item] });
      await call(node.broker, "inventory.commit", { orderId: sold });
      const released = newId();
      await call(node.broker, "inventory.reserve", { orderId: released, items: [item] });
      await call(node.broker, "inventory.release", { orderId: released });

      expect(await store.hold(sold, item, new Date().toISOString())).toBe(false);
      expect(await store.hold(released, item, new Date().toISOString())).toBe(false);
      // And the resumed reserve itself changes nothing either.
      await call(node.broker, "inventory.reserve", { orderId: sold, items: [item] });
      expect(await call(node.broker, "inventory.get", { productId: late.id })).toMatchObject({
        available: 3,
        reserved: 0,
        committed: 1,
      });
    });

    it("a row keeps the spent markers of the last ten minutes only", async () => {
      const store = (node.broker.getLocalService("inventory") as unknown as { store: InventoryStore }).store;
      const row = await call(node.broker, "catalog.create", {
        sku: `SPENT-${Date.now()}`,
        name: "Spent markers",
        priceCents: 700,
        currency: "EUR",
        category: "test",
      });
      await call(node.broker, "inventory.set", { productId: row.id, quantity: 4 });
      const item = { productId: row.id, quantity: 1 };
      const t0 = Date.now();
      const at = (ms: number) => new Date(t0 + ms).toISOString();
      const [first, second] = [newId(), newId()];
      expect(await store.hold(first, item, at(0))).toBe(true);
      expect(await store.sell(first, item, at(0))).toBe(true);
      expect(await store.hold(second, item, at(SPENT_MARKER_TTL_MS + 1000))).toBe(true);
      expect(await store.sell(second, item, at(SPENT_MARKER_TTL_MS + 1000))).toBe(true);
      const level = await store.level(row.id);
      expect(Object.keys(level!.holds)).toEqual([second]);
      expect(level).toMatchObject({ available: 2, reserved: 0, committed: 2 });
    });

    it("a multi-item race for the last units leaves nothing half-reserved", async () => {
      const [a, b] = await Promise.all(
        ["A", "B"].map((suffix) =>
          call(node.broker, "catalog.create", {
            sku: `PAIR-${suffix}-${Date.now()}`,
            name: `Pair ${suffix}`,
            priceCents: 500,
            currency: "EUR",
            category: "test",
          }),
        ),
      );
      await call(node.broker, "inventory.set", { productId: a.id, quantity: 3 });
      await call(node.broker, "inventory.set", { productId: b.id, quantity: 2 });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          call(node.broker, "inventory.reserve", {
            orderId: newId(),
            items: [
              { productId: a.id, quantity: 1 },
              { productId: b.id, quantity: 1 },
            ],
          }),
        ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
      const [la, lb] = await Promise.all([
        call(node.broker, "inventory.get", { productId: a.id }),
        call(node.broker, "inventory.get", { productId: b.id }),
      ]);
      expect(la).toMatchObject({ available: 1, reserved: 2 });
      expect(lb).toMatchObject({ available: 0, reserved: 2 });
    });
  });
}
