import { MatchersV3 as M } from "@pact-foundation/pact";
import type { Cart } from "../../../../contracts";
import { consumerPact, expectAction } from "../../pact";
import { CONTRACT_IDS } from "../../states";
import { CUSTOMER, Storefront } from "./storefront";

/** What the storefront needs from the cart: the cart page, the header's badge and the cart forms. */
describe("web → cart", () => {
  const pact = consumerPact("web", "cart");
  const shop = new Storefront();
  beforeAll(() => shop.start());
  afterAll(() => shop.stop());
  beforeEach(() => {
    shop.reset();
    shop.signedIn = CUSTOMER;
  });

  const state = "the contract user has 2 of the contract product in the cart";

  it("cart.get: the signed-in customer's cart", () =>
    expectAction<Cart>(
      pact,
      {
        state,
        description: "cart.get answers the customer's cart for the cart page",
        action: "cart.get",
        params: {},
        meta: { user: CUSTOMER },
        answer: {
          result: {
            items: M.eachLike({
              productId: CONTRACT_IDS.product,
              name: M.like("Stoneware Mug"),
              quantity: M.integer(2),
              unitPriceCents: M.integer(1400),
            }),
            totalCents: M.integer(2800),
            currency: M.regex(/^[A-Z]{3}$/, "EUR"),
          },
        },
      },
      async (a) => {
        shop.answer("cart.get", a);
        const page = await shop.request("web.cart", {});
        expect(shop.calls("cart.get").every((c) => c.meta.user?.id === CUSTOMER.id)).toBe(true);
        expect(page.status).toBe(200);
        expect(page.body).toContain("Stoneware Mug");
        expect(page.body).toContain("Cart (2)");
      },
    ));

  it("cart.setItem: a new quantity for a line", () =>
    expectAction<Cart>(
      pact,
      {
        state,
        description: "cart.setItem sets the quantity of the contract product",
        action: "cart.setItem",
        params: { productId: CONTRACT_IDS.product, quantity: 3 },
        meta: { user: CUSTOMER },
        answer: { result: { items: M.eachLike({ productId: CONTRACT_IDS.product, quantity: M.integer(3) }) } },
      },
      async (a) => {
        shop.answer("cart.setItem", a);
        const reply = await shop.request(
          "web.setCartItem",
          { productId: CONTRACT_IDS.product, quantity: "3" },
          { post: true },
        );
        expect(shop.calls("cart.setItem").map((c) => c.params)).toEqual([
          { productId: CONTRACT_IDS.product, quantity: 3 },
        ]);
        expect(reply.location).toBe("/cart?notice=updated");
      },
    ));

  it("cart.setItem: 404 for a product the catalog does not have (the page says not found)", () =>
    expectAction<Cart>(
      pact,
      {
        state,
        description: "cart.setItem answers 404 for an unknown product",
        action: "cart.setItem",
        params: { productId: CONTRACT_IDS.unknownProduct, quantity: 1 },
        meta: { user: CUSTOMER },
        answer: { error: { name: M.like("NotFoundError"), code: 404, type: "NOT_FOUND" } },
      },
      async (a) => {
        shop.answer("cart.setItem", a);
        const reply = await shop.request(
          "web.setCartItem",
          { productId: CONTRACT_IDS.unknownProduct, quantity: "1" },
          { post: true },
        );
        expect(reply.status).toBe(404);
      },
    ));

  it("cart.removeItem: a line taken out", () =>
    expectAction<Cart>(
      pact,
      {
        state,
        description: "cart.removeItem removes the contract product",
        action: "cart.removeItem",
        params: { productId: CONTRACT_IDS.product },
        meta: { user: CUSTOMER },
        answer: { result: { items: [] } },
      },
      async (a) => {
        shop.answer("cart.removeItem", a);
        const reply = await shop.request("web.removeCartItem", { productId: CONTRACT_IDS.product }, { post: true });
        expect(shop.calls("cart.removeItem").map((c) => c.params)).toEqual([{ productId: CONTRACT_IDS.product }]);
        expect(reply.location).toBe("/cart?notice=removed");
      },
    ));
});
