import { call, type Product } from "../../contracts";
import { newId } from "../../platform/core/ids";
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
