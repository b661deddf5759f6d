import { MatchersV3 as M } from "@pact-foundation/pact";
import type { ServiceBroker } from "moleculer";
import { call, type Caller, type Product } from "../../../contracts";
import { consumerPact, expectAction, localBroker, settle, type ActionAnswer } from "../pact";
import { CONTRACT_IDS } from "../states";

/** What the cart needs from catalog.get: the real cart service adds a line from each answer. */
describe("cart → catalog", () => {
  const pact = consumerPact("cart", "catalog");
  const customer: Caller = { id: CONTRACT_IDS.user, email: "pact@example.com", role: "customer" };
  let answer: ActionAnswer<Product>;
  let broker: ServiceBroker;
  const asked: object[] = [];

  beforeAll(async () => {
    broker = await localBroker(
      ["cart"],
      [{ name: "catalog", actions: { get: (ctx) => (asked.push(ctx.params), settle(answer)) } }],
    );
  });
  afterAll(() => broker.stop());
  beforeEach(() => void (asked.length = 0));

  const setItem = (productId: string) =>
    call(broker, "cart.setItem", { productId, quantity: 2 }, { meta: { user: customer } });

  it("catalog.get: name, price, currency and whether it is for sale", () =>
    expectAction<Product>(
      pact,
      {
        state: "the demo catalog is seeded",
        description: "catalog.get answers an active product",
        action: "catalog.get",
        params: { id: CONTRACT_IDS.product },
        answer: {
          result: {
            id: CONTRACT_IDS.product,
            name: M.like("Stoneware Mug"),
            priceCents: M.integer(1400),
            currency: M.regex(/^[A-Z]{3}$/, "EUR"),
            active: M.boolean(true),
          },
        },
      },
      async (a) => {
        answer = a;
        const cart = await setItem(CONTRACT_IDS.product);
        expect(asked[0]).toEqual({ id: CONTRACT_IDS.product });
        expect(cart.items).toEqual([
          { productId: CONTRACT_IDS.product, name: "Stoneware Mug", quantity: 2, unitPriceCents: 1400 },
        ]);
        expect(cart).toMatchObject({ totalCents: 2800, currency: "EUR" });
        await call(broker, "cart.clear", {}, { meta: { user: customer } });
      },
    ));

  it("catalog.get: 404 for a product that does not exist (the cart refuses it)", () =>
    expectAction<Product>(
      pact,
      {
        state: "the demo catalog is seeded",
        description: "catalog.get answers 404 for an unknown product",
        action: "catalog.get",
        params: { id: CONTRACT_IDS.unknownProduct },
        answer: { error: { name: M.like("NotFoundError"), code: 404, type: "NOT_FOUND" } },
      },
      async (a) => {
        answer = a;
        await expect(setItem(CONTRACT_IDS.unknownProduct)).rejects.toMatchObject({ code: 404 });
      },
    ));
});
