import { MatchersV3 as M } from "@pact-foundation/pact";
import type { ServiceBroker } from "moleculer";
import { call } from "../../../contracts";
import { consumerPact, expectAction, localBroker, settle, type ActionAnswer } from "../pact";
import { CONTRACT_IDS } from "../states";

/** What the catalog needs from inventory.availability: the real catalog shows it on a product. */
describe("catalog → inventory", () => {
  const pact = consumerPact("catalog", "inventory");
  let answer: ActionAnswer<Record<string, number>>;
  let broker: ServiceBroker;
  const asked: object[] = [];

  beforeAll(async () => {
    broker = await localBroker(
      ["catalog"],
      [{ name: "inventory", actions: { availability: (ctx) => (asked.push(ctx.params), settle(answer)) } }],
    );
  });
  afterAll(() => broker.stop());

  it("inventory.availability: units available per product id", () =>
    expectAction<Record<string, number>>(
      pact,
      {
        state: "the contract product has 5 units available",
        description: "inventory.availability answers the units available per product",
        action: "inventory.availability",
        params: { productIds: [CONTRACT_IDS.product] },
        answer: { result: { [CONTRACT_IDS.product]: M.integer(5) } },
      },
      async (a) => {
        answer = a;
        const product = await call(broker, "catalog.get", { id: CONTRACT_IDS.product });
        expect(asked).toContainEqual({ productIds: [CONTRACT_IDS.product] });
        expect(product.available).toBe(5);
      },
    ));
});
