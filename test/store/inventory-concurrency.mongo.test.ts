import { call } from "../../contracts";
import { newId } from "../../platform/core/ids";
import { startNode, type TestNode } from "../helpers/node";
import { useMongoStore } from "../helpers/mongo-store";
import { inventoryConcurrencyScenario } from "./inventory-concurrency.scenario";

/**
 * The same race on the MongoDB adapter: against MONGO_URI when given (a real
 * MongoDB), else the MongoDB-wire test server (CongoDB) as its own process.
 * Stores are chosen when a service starts, so setting MONGO_URI here, before
 * the scenario's beforeAll starts the node, is enough.
 */
const store = useMongoStore("inventory");

inventoryConcurrencyScenario(store);

describe("inventory on two nodes sharing one MongoDB", () => {
  let nodes: TestNode[] = [];

  beforeAll(async () => {
    nodes = [await startNode(["catalog", "inventory"]), await startNode(["catalog", "inventory"])];
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it("20 reservations spread over both nodes for 5 units: exactly 5 succeed", async () => {
    const [a, b] = nodes;
    const product = await call(a.broker, "catalog.create", {
      sku: `TWO-${Date.now()}`,
      name: "Shared last units",
      priceCents: 100,
      currency: "EUR",
      category: "test",
    });
    await call(b.broker, "inventory.set", { productId: product.id, quantity: 5 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        call(nodes[i % 2].broker, "inventory.reserve", {
          orderId: newId(),
          items: [{ productId: product.id, quantity: 1 }],
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    for (const node of nodes) {
      expect(await call(node.broker, "inventory.get", { productId: product.id })).toMatchObject({
        available: 0,
        reserved: 5,
        committed: 0,
      });
    }
  });
});
