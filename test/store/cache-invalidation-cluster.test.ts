import type { BrokerOptions } from "moleculer";
import type { Product } from "../../contracts";
import { startNode, type TestNode } from "../helpers/node";
import { eventually, startMongo, startNats, stopAll, type MongoServer, type NatsServer } from "../helpers/processes";

/**
 * Two catalog replicas on two brokers, joined over a real nats-server and
 * sharing one MongoDB-wire store, each with its own memory cache. A write
 * through one must not leave the other serving its cached copy.
 */
/** The keys of B's memory cache that hold this product. */
function cachedKeys(node: TestNode, id: string): string[] {
  const cache = (node.broker.cacher as unknown as { cache: Map<string, unknown> }).cache;
  return [...cache.keys()].filter((k) => k.includes(id));
}

describe("cache invalidation across nodes", () => {
  let nats: NatsServer;
  let mongo: MongoServer;
  let a: TestNode;
  let b: TestNode;

  beforeAll(async () => {
    nats = await startNats();
    mongo = await startMongo();
    process.env.MONGO_URI = `${mongo.uri}/agora`;
    process.env.NAMESPACE = `cache${Date.now()}`;
    a = await startNode(["catalog"], {
      transporter: nats.url as BrokerOptions["transporter"],
      namespace: process.env.NAMESPACE,
    });
    b = await startNode(["catalog"], {
      transporter: nats.url as BrokerOptions["transporter"],
      namespace: process.env.NAMESPACE,
    });
    // Each node must know the other's event listeners before the test writes.
    await eventually(
      () =>
        a.broker.registry.events.getAllEndpoints("cache.clean.catalog").length === 2 &&
        b.broker.registry.events.getAllEndpoints("cache.clean.catalog").length === 2,
    );
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    delete process.env.MONGO_URI;
    await stopAll();
  });

  it("clears every node's cache after a write on one node", async () => {
    const product = await a.broker.call<Product, object>("catalog.create", {
      sku: "CACHE-1",
      name: "Before",
      priceCents: 100,
      currency: "EUR",
      category: "cache",
    });
    // B reads (and caches) through its local replica. The clean broadcast of
    // the create may still be on its way to B, so read until the copy sticks.
    await eventually(async () => {
      expect((await b.broker.call<Product, object>("catalog.get", { id: product.id })).name).toBe("Before");
      return cachedKeys(b, product.id).length > 0;
    });

    await a.broker.call("catalog.update", { id: product.id, name: "After" });

    await eventually(() => cachedKeys(b, product.id).length === 0, 5000);
    expect((await b.broker.call<Product, object>("catalog.get", { id: product.id })).name).toBe("After");
  });
});
