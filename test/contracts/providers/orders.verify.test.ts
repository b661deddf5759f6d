import { call, type Caller } from "../../../contracts";
import { CARD } from "../../helpers/fake-shop";
import { answerOf, verifyProvider } from "../pact";
import { VERIFIED } from "../verifications";
import { CONTRACT_IDS } from "../states";
import { ProviderNode } from "./provider";

/**
 * Orders' actions against what the storefront expects of them: the real
 * checkout over the real cart, inventory, payments and notifications (only
 * the catalog they ask for the product is stubbed).
 */
describe("orders honours its consumers' pacts", () => {
  const customer: Caller = { id: CONTRACT_IDS.user, email: "pact@example.com", role: "customer" };
  const admin: Caller = { ...customer, role: "admin" };
  const product = { id: CONTRACT_IDS.product, name: "Stoneware Mug", priceCents: 1400, currency: "EUR", active: true };
  const node = new ProviderNode(["orders", "cart", "inventory", "payments", "notifications"], () => [
    {
      name: "catalog",
      actions: {
        get: () => product,
        list: () => ({ rows: [product], total: 1, page: 1, pageSize: 100, totalPages: 1 }),
      },
    },
  ]);
  afterAll(() => node.stop());

  /** 5 units in stock, 2 of them in the contract user's cart. */
  const cartReady = async () => {
    const broker = await node.fresh();
    await call(broker, "inventory.set", { productId: CONTRACT_IDS.product, quantity: 5 }, { meta: { user: admin } });
    await call(broker, "cart.setItem", { productId: CONTRACT_IDS.product, quantity: 2 }, { meta: { user: customer } });
    return broker;
  };

  it("checkout, get, list, listAll", () =>
    verifyProvider({
      provider: "orders",
      consumers: VERIFIED["orders"],
      states: {
        "the contract user has 2 of the contract product in the cart, in stock": cartReady,
        "the contract user's cart is empty": () => node.fresh(),
        // Placed with the key the orders pacts use, so its id is CONTRACT_ORDER (states.ts).
        "the contract order was placed": async () => {
          const broker = await cartReady();
          await call(
            broker,
            "orders.checkout",
            { payment: CARD },
            { meta: { user: customer, idempotencyKey: "pact-checkout-1" } },
          );
        },
      },
      produce: async (metadata) => answerOf(await node.current(), metadata),
    }));
});
