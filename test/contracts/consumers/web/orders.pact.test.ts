import { MatchersV3 as M } from "@pact-foundation/pact";
import type { Order, Page } from "../../../../contracts";
import { consumerPact, expectAction } from "../../pact";
import { CONTRACT_IDS, CONTRACT_ORDER } from "../../states";
import { ADMIN, CUSTOMER, ISO_DATE, Storefront } from "./storefront";

/** What the storefront needs from orders: the checkout form, the customer's and the admin's order pages. */
describe("web → orders", () => {
  const pact = consumerPact("web", "orders");
  const shop = new Storefront();
  beforeAll(() => shop.start());
  afterAll(() => shop.stop());
  beforeEach(() => {
    shop.reset();
    shop.signedIn = CUSTOMER;
  });

  const KEY = "pact-web-checkout-1";
  const CARD_FORM = { cardNumber: "4242 4242 4242 4242", cardExpiry: "12/40", cardCvc: "123" };
  const PAYMENT = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2040, cvc: "123" };

  const orderMatcher = {
    id: M.regex(/^[0-9a-f]{24}$/, CONTRACT_ORDER),
    userId: M.regex(/^[0-9a-f]{24}$/, CONTRACT_IDS.user),
    status: M.regex(/^(PENDING|CONFIRMED|FAILED|REJECTED)$/, "CONFIRMED"),
    items: M.eachLike({
      productId: CONTRACT_IDS.product,
      name: M.like("Stoneware Mug"),
      quantity: M.integer(2),
      unitPriceCents: M.integer(1400),
    }),
    totalCents: M.integer(2800),
    currency: M.regex(/^[A-Z]{3}$/, "EUR"),
    createdAt: M.regex(ISO_DATE, "2030-01-01T00:00:00.000Z"),
  };

  it("orders.checkout: the order placed from the checkout form", () =>
    expectAction<Order>(
      pact,
      {
        state: "the contract user has 2 of the contract product in the cart, in stock",
        description: "orders.checkout confirms the customer's order",
        action: "orders.checkout",
        params: { payment: PAYMENT },
        meta: { user: CUSTOMER, idempotencyKey: KEY },
        answer: { result: { id: M.regex(/^[0-9a-f]{24}$/, CONTRACT_ORDER), status: "CONFIRMED" } },
      },
      async (a) => {
        shop.answer("orders.checkout", a);
        const reply = await shop.request("web.placeOrder", { idempotencyKey: KEY, ...CARD_FORM }, { post: true });
        const [asked] = shop.calls("orders.checkout");
        expect(asked.params).toEqual({ payment: PAYMENT });
        expect(asked.meta).toMatchObject({ user: CUSTOMER, idempotencyKey: KEY });
        expect(reply.location).toBe(`/orders/${CONTRACT_ORDER}?placed=1`);
      },
    ));

  it("orders.checkout: 422 CART_EMPTY for an empty cart (back to the cart)", () =>
    expectAction<Order>(
      pact,
      {
        state: "the contract user's cart is empty",
        description: "orders.checkout answers 422 CART_EMPTY for an empty cart",
        action: "orders.checkout",
        params: { payment: PAYMENT },
        meta: { user: CUSTOMER, idempotencyKey: KEY },
        answer: { error: { name: M.like("UnprocessableError"), code: 422, type: "CART_EMPTY" } },
      },
      async (a) => {
        shop.answer("orders.checkout", a);
        const reply = await shop.request("web.placeOrder", { idempotencyKey: KEY, ...CARD_FORM }, { post: true });
        expect(reply.location).toBe("/cart?notice=empty");
      },
    ));

  it("orders.get: one of the customer's orders", () =>
    expectAction<Order>(
      pact,
      {
        state: "the contract order was placed",
        description: "orders.get answers the contract order to its customer",
        action: "orders.get",
        params: { id: CONTRACT_ORDER },
        meta: { user: CUSTOMER },
        answer: {
          result: {
            ...orderMatcher,
            payment: { brand: M.like("visa"), last4: M.regex(/^\d{4}$/, "4242") },
            failureReason: null,
          },
        },
      },
      async (a) => {
        shop.answer("orders.get", a);
        const page = await shop.request("web.order", { id: CONTRACT_ORDER, placed: "1" });
        expect(shop.calls("orders.get").map((c) => c.params)).toEqual([{ id: CONTRACT_ORDER }]);
        expect(page.status).toBe(200);
        expect(page.body).toContain("Thank you! Your order is confirmed.");
        expect(page.body).toContain("ending 4242");
      },
    ));

  it("orders.get: 404 for an order that is not the customer's (the page says not found)", () =>
    expectAction<Order>(
      pact,
      {
        state: "the contract order was placed",
        description: "orders.get answers 404 for an unknown order",
        action: "orders.get",
        params: { id: CONTRACT_IDS.unknownProduct },
        meta: { user: CUSTOMER },
        answer: { error: { name: M.like("NotFoundError"), code: 404, type: "NOT_FOUND" } },
      },
      async (a) => {
        shop.answer("orders.get", a);
        const page = await shop.request("web.order", { id: CONTRACT_IDS.unknownProduct });
        expect(page.status).toBe(404);
      },
    ));

  const pageOf = { rows: M.eachLike(orderMatcher), total: M.integer(1), page: 1, totalPages: M.integer(1) };

  it("orders.list: the customer's orders", () =>
    expectAction<Page<Order>>(
      pact,
      {
        state: "the contract order was placed",
        description: "orders.list answers the customer's first page of orders",
        action: "orders.list",
        params: { page: 1, pageSize: 20 },
        meta: { user: CUSTOMER },
        answer: { result: pageOf },
      },
      async (a) => {
        shop.answer("orders.list", a);
        const page = await shop.request("web.orders", {});
        expect(shop.calls("orders.list").map((c) => c.params)).toEqual([{ page: 1, pageSize: 20 }]);
        expect(page.body).toContain(`data-order-id="${CONTRACT_ORDER}"`);
      },
    ));

  it("orders.listAll: every customer's orders, for the admin", () =>
    expectAction<Page<Order>>(
      pact,
      {
        state: "the contract order was placed",
        description: "orders.listAll answers the admin the first page of all orders",
        action: "orders.listAll",
        params: { page: 1, pageSize: 50 },
        meta: { user: ADMIN },
        answer: { result: pageOf },
      },
      async (a) => {
        shop.signedIn = ADMIN;
        shop.answer("orders.listAll", a);
        const page = await shop.request("web.adminOrders", {});
        const [asked] = shop.calls("orders.listAll");
        expect(asked.params).toEqual({ page: 1, pageSize: 50 });
        expect(asked.meta.user).toEqual(ADMIN);
        expect(page.body).toContain(`data-order-id="${CONTRACT_ORDER}"`);
        expect(page.body).toContain(CONTRACT_IDS.user.slice(0, 8));
      },
    ));
});
