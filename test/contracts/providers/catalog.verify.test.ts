import type { ServiceSchema } from "moleculer";
import { ProviderNode } from "./provider";
import { answerOf, verifyProvider } from "../pact";
import { VERIFIED } from "../verifications";
import { call, type Product } from "../../../contracts";
import { CONTRACT_IDS } from "../states";

/**
 * The catalog against what cart, inventory, the storefront and the Go
 * recommendations node expect of it (its own inventory and recommendations
 * calls are stubbed: the contract product is bought with the second one).
 */
describe("catalog honours its consumers' pacts", () => {
  const node = new ProviderNode(["catalog"], (): ServiceSchema[] => [
    { name: "inventory", actions: { availability: () => ({}) } },
    {
      name: "recommendations",
      actions: {
        forProduct: () => ({
          productId: CONTRACT_IDS.product,
          productIds: [CONTRACT_IDS.otherProduct],
          basis: "orders",
          nodeID: "pact-stub",
        }),
      },
    },
  ]);
  afterAll(() => node.stop());

  it("catalog.get, list, create, update and recommended", () =>
    verifyProvider({
      provider: "catalog",
      consumers: VERIFIED["catalog"],
      states: {
        "the demo catalog is seeded": () => node.fresh(),
        "the demo catalog is seeded and a recommendations node answers": () => node.fresh(),
      },
      produce: async (metadata) => answerOf(await node.current(), metadata),
    }));

  it("catalog.product.created", () => {
    let created: Product | undefined;
    return verifyProvider({
      provider: "catalog-events",
      consumers: VERIFIED["catalog-events"],
      states: { "a product is created": () => node.fresh() },
      produce: async () => {
        const broker = await node.current();
        broker.createService({
          name: "listener",
          events: { "catalog.product.created": (ctx) => void (created = ctx.params as Product) },
        });
        await broker.waitForServices("listener");
        await call(
          broker,
          "catalog.create",
          { sku: "PACT-001", name: "Pact Lamp", priceCents: 4200, currency: "EUR", category: "home" },
          { meta: { user: { id: "aaaaaaaaaaaaaaaaaaaaaaaa", email: "a@example.com", role: "admin" } } },
        );
        return created;
      },
    });
  });
});
