import { MatchersV3 as M } from "@pact-foundation/pact";
import type { StockLevel } from "../../../../contracts";
import { consumerPact, expectAction } from "../../pact";
import { CONTRACT_IDS } from "../../states";
import { ADMIN, Storefront } from "./storefront";

/** What the admin pages need from inventory: a stock level set. */
describe("web → inventory", () => {
  const pact = consumerPact("web", "inventory");
  const shop = new Storefront();
  beforeAll(() => shop.start());
  afterAll(() => shop.stop());

  it("inventory.set: the admin's stock level for a product", () =>
    expectAction<StockLevel>(
      pact,
      {
        state: "the contract product has 5 units available",
        description: "inventory.set stores the admin's stock level",
        action: "inventory.set",
        params: { productId: CONTRACT_IDS.product, quantity: 7 },
        meta: { user: ADMIN },
        answer: { result: { productId: CONTRACT_IDS.product, available: M.integer(7) } },
      },
      async (a) => {
        shop.signedIn = ADMIN;
        shop.answer("inventory.set", a);
        const reply = await shop.request(
          "web.adminSetStock",
          { productId: CONTRACT_IDS.product, quantity: "7" },
          { post: true },
        );
        const [asked] = shop.calls("inventory.set");
        expect(asked.params).toEqual({ productId: CONTRACT_IDS.product, quantity: 7 });
        expect(asked.meta.user).toEqual(ADMIN);
        expect(reply.location).toBe("/admin/products?notice=stock");
      },
    ));
});
