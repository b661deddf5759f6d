import { call, type Caller } from "../../../contracts";
import { answerOf, verifyProvider } from "../pact";
import { VERIFIED } from "../verifications";
import { CONTRACT_IDS, CONTRACT_ORDER } from "../states";
import { ProviderNode } from "./provider";

/** Inventory against what catalog, orders and the storefront expect of it (the catalog it asks is stubbed). */
describe("inventory honours its consumers' pacts", () => {
  const admin: Caller = { id: CONTRACT_IDS.user, email: "admin@example.com", role: "admin" };
  const product = { id: CONTRACT_IDS.product, name: "Stoneware Mug", priceCents: 1400, currency: "EUR", active: true };
  const node = new ProviderNode(["inventory"], () => [
    {
      name: "catalog",
      actions: {
        get: () => product,
        list: () => ({ rows: [product], total: 1, page: 1, pageSize: 100, totalPages: 1 }),
      },
    },
  ]);
  afterAll(() => node.stop());

  const stock = async (quantity: number) => {
    const broker = await node.fresh();
    await call(broker, "inventory.set", { productId: CONTRACT_IDS.product, quantity }, { meta: { user: admin } });
    return broker;
  };

  it("availability, reserve, release, commit, set", () =>
    verifyProvider({
      provider: "inventory",
      consumers: VERIFIED["inventory"],
      states: {
        "the contract product has 5 units available": () => stock(5),
        "the contract product has 1 unit available": () => stock(1),
        "the contract order holds 2 units of the contract product": async () => {
          const broker = await stock(5);
          await call(broker, "inventory.reserve", {
            orderId: CONTRACT_ORDER,
            items: [{ productId: CONTRACT_IDS.product, quantity: 2 }],
          });
        },
      },
      produce: async (metadata) => answerOf(await node.current(), metadata),
    }));
});
