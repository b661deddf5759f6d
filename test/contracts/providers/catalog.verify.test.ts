import { ProviderNode } from "./provider";
import { answerOf, verifyProvider } from "../pact";
import { VERIFIED } from "../verifications";
import { call, type Product } from "../../../contracts";

/** The catalog against what cart, inventory and the Go recommendations node expect of it (its own inventory call is stubbed). */
describe("catalog honours its consumers' pacts", () => {
  const node = new ProviderNode(["catalog"], () => [{ name: "inventory", actions: { availability: () => ({}) } }]);
  afterAll(() => node.stop());

  it("catalog.get and catalog.list", () =>
    verifyProvider({
      provider: "catalog",
      consumers: VERIFIED["catalog"],
      states: { "the demo catalog is seeded": () => node.fresh() },
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
