import { MatchersV3 as M } from "@pact-foundation/pact";
import { ServiceBroker } from "moleculer";
import type { Cart, Payment } from "../../../contracts";
import { NedbAdapter } from "../../../platform/store/nedb-adapter";
import {
  checkout,
  recoverUnattended,
  type CheckoutPorts,
  type SagaDeps,
} from "../../../services/orders/domain/checkout.saga";
import { orderIdFor } from "../../../services/orders/domain/order.rules";
import { relayOutbox } from "../../../services/orders/domain/outbox-relay";
import { OrderStore } from "../../../services/orders/store";
import { CARD, Crash, DECLINED, FakeShop, USER } from "../../helpers/fake-shop";
import { consumerPact, expectAction, settle, type ActionAnswer } from "../pact";
import { CONTRACT_IDS } from "../states";

/**
 * What the orders service needs from cart, inventory, payments and
 * notifications: the checkout saga runs on each answer (the real saga over a
 * real in-memory order store; the other steps answer as the fake shop does).
 */

const KEY = "pact-checkout-1";
const ORDER_ID = orderIdFor(USER, KEY);
const PRODUCT = CONTRACT_IDS.product;
const ITEMS = [{ productId: PRODUCT, quantity: 2 }];

let broker: ServiceBroker;
let adapter: NedbAdapter;
let store: OrderStore;
let shop: FakeShop;
let crashAt: string | null;
/** The steps under test; every other step answers as the fake shop does. */
let overrides: Partial<CheckoutPorts>;

const ports = (): CheckoutPorts => ({
  cartSnapshot: () => shop.cartSnapshot(),
  reserve: (orderId, items) => shop.reserve(orderId, items),
  release: (orderId) => shop.release(orderId),
  charge: (orderId, amountCents, currency, card) => shop.charge(orderId, amountCents, currency, card),
  paymentOf: (orderId) => shop.paymentOf(orderId),
  refund: (orderId) => shop.refund(orderId),
  commit: (orderId) => shop.commit(orderId),
  emptyCart: () => shop.emptyCart(),
  announce: (entry) => shop.announce(entry),
  ...overrides,
});
let clock: number;

const deps = (): SagaDeps => ({
  store,
  ports: ports(),
  leaseMs: 1000,
  faultPoint: (name) => {
    if (name === crashAt) {
      crashAt = null;
      throw new Crash(name);
    }
  },
  log: { warn: () => undefined },
  now: () => new Date(clock),
  sleep: async () => undefined,
});

const run = (card = CARD) => checkout(deps(), { userId: USER, idempotencyKey: KEY, card, waitMs: 0 });

beforeAll(() => {
  broker = new ServiceBroker({ logger: false });
});

beforeEach(async () => {
  adapter = new NedbAdapter();
  adapter.init(broker, broker.createService({ name: `orders-${Math.random().toString(36).slice(2)}` }));
  await adapter.connect();
  clock = Date.parse("2030-01-01T00:00:00Z");
  store = new OrderStore(adapter, () => new Date(clock));
  shop = new FakeShop();
  shop.cart = {
    items: [{ productId: PRODUCT, name: "Stoneware Mug", quantity: 2, unitPriceCents: 1400 }],
    totalCents: 2800,
    currency: "EUR",
  };
  crashAt = null;
  overrides = {};
});

afterEach(() => adapter.disconnect());

/** A port that answers with the pact's message, after checking the saga sent the declared params. */
function answering<R>(answer: ActionAnswer<R>, expected: object, actual: () => object): R {
  expect(actual()).toEqual(expected);
  return settle(answer);
}

describe("orders → cart", () => {
  const pact = consumerPact("orders", "cart");

  it("cart.snapshot: the lines, total and currency the order is made of", () => {
    const params = { userId: USER };
    return expectAction<Cart>(
      pact,
      {
        state: "the contract user has 2 of the contract product in the cart",
        description: "cart.snapshot answers the user's cart",
        action: "cart.snapshot",
        params,
        answer: {
          result: {
            items: M.eachLike({
              productId: M.like(PRODUCT),
              name: M.like("Stoneware Mug"),
              quantity: M.integer(2),
              unitPriceCents: M.integer(1400),
            }),
            totalCents: M.integer(2800),
            currency: M.regex(/^[A-Z]{3}$/, "EUR"),
          },
        },
      },
      async (answer) => {
        overrides.cartSnapshot = async (userId: string) => answering(answer, params, () => ({ userId }));
        const order = await run();
        expect(order.status).toBe("CONFIRMED");
        expect(order.totalCents).toBe(2800);
        expect(order.items).toEqual([expect.objectContaining({ productId: PRODUCT, quantity: 2 })]);
      },
    );
  });

  it("cart.empty: succeeds once the order is confirmed", () => {
    const params = { userId: USER };
    return expectAction(
      pact,
      {
        state: "the contract user has 2 of the contract product in the cart",
        description: "cart.empty empties the user's cart",
        action: "cart.empty",
        params,
        answer: { result: { items: [] } },
      },
      async (answer) => {
        overrides.emptyCart = async () => answering(answer, params, () => ({ userId: USER }));
        const order = await run();
        expect(order).toMatchObject({ status: "CONFIRMED", settled: true });
      },
    );
  });
});

describe("orders → inventory", () => {
  const pact = consumerPact("orders", "inventory");
  const params = { orderId: ORDER_ID, items: ITEMS };

  it("inventory.reserve: holds the units (any answer but an error goes on to the charge)", () => {
    return expectAction(
      pact,
      {
        state: "the contract product has 5 units available",
        description: "inventory.reserve holds the units of an order",
        action: "inventory.reserve",
        params,
        answer: { result: { orderId: M.like(ORDER_ID), status: "RESERVED" } },
      },
      async (answer) => {
        overrides.reserve = async (orderId, items) => answering(answer, params, () => ({ orderId, items }));
        expect((await run()).status).toBe("CONFIRMED");
      },
    );
  });

  it("inventory.reserve: 409 OUT_OF_STOCK rejects the order", () => {
    return expectAction(
      pact,
      {
        state: "the contract product has 1 unit available",
        description: "inventory.reserve refuses when the stock is short",
        action: "inventory.reserve",
        params,
        answer: { error: { name: M.like("MoleculerClientError"), code: 409, type: "OUT_OF_STOCK" } },
      },
      async (answer) => {
        overrides.reserve = async (orderId, items) => answering(answer, params, () => ({ orderId, items }));
        const order = await run();
        expect(order.status).toBe("REJECTED");
        expect(shop.chargeCalls).toBe(0);
      },
    );
  });

  it("inventory.release: frees the units of a declined order", () => {
    const byOrder = { orderId: ORDER_ID };
    return expectAction(
      pact,
      {
        state: "the contract order holds 2 units of the contract product",
        description: "inventory.release frees the units of an order",
        action: "inventory.release",
        params: byOrder,
        answer: { result: { orderId: M.like(ORDER_ID), status: "RELEASED" } },
      },
      async (answer) => {
        overrides.release = async (orderId) => answering(answer, byOrder, () => ({ orderId }));
        const order = await run(DECLINED);
        expect(order).toMatchObject({ status: "FAILED", settled: true });
      },
    );
  });

  it("inventory.commit: sells the units of a confirmed order", () => {
    const byOrder = { orderId: ORDER_ID };
    return expectAction(
      pact,
      {
        state: "the contract order holds 2 units of the contract product",
        description: "inventory.commit sells the units of an order",
        action: "inventory.commit",
        params: byOrder,
        answer: { result: { orderId: M.like(ORDER_ID), status: "COMMITTED" } },
      },
      async (answer) => {
        overrides.commit = async (orderId) => answering(answer, byOrder, () => ({ orderId }));
        expect(await run()).toMatchObject({ status: "CONFIRMED", settled: true });
      },
    );
  });
});

describe("orders → payments", () => {
  const pact = consumerPact("orders", "payments");
  const charge = (card = CARD) => ({ orderId: ORDER_ID, amountCents: 2800, currency: "EUR", card });
  const payment = {
    orderId: M.like(ORDER_ID),
    status: "CHARGED",
    brand: M.like("visa"),
    last4: M.regex(/^\d{4}$/, "4242"),
  };

  it("payments.charge: a charged payment confirms the order and names the card", () => {
    return expectAction<Payment>(
      pact,
      {
        state: "no payment exists for the contract order",
        description: "payments.charge charges an approved card",
        action: "payments.charge",
        params: charge(),
        answer: { result: payment },
      },
      async (answer) => {
        overrides.charge = async (orderId, amountCents, currency, card) =>
          answering(answer, charge(), () => ({ orderId, amountCents, currency, card }));
        const order = await run();
        expect(order).toMatchObject({ status: "CONFIRMED", payment: { brand: "visa", last4: "4242" } });
      },
    );
  });

  it("payments.charge: 402 PAYMENT_DECLINED fails the order", () => {
    return expectAction<Payment>(
      pact,
      {
        state: "no payment exists for the contract order",
        description: "payments.charge declines card 4000 0000 0000 0002",
        action: "payments.charge",
        params: charge(DECLINED),
        answer: { error: { name: M.like("MoleculerClientError"), code: 402, type: "PAYMENT_DECLINED" } },
      },
      async (answer) => {
        overrides.charge = async (orderId, amountCents, currency, card) =>
          answering(answer, charge(DECLINED), () => ({ orderId, amountCents, currency, card }));
        const order = await run(DECLINED);
        expect(order).toMatchObject({ status: "FAILED" });
      },
    );
  });

  it("payments.get: a recorded charge lets recovery confirm an order left after the charge", () => {
    const byOrder = { orderId: ORDER_ID };
    return expectAction<Payment | null>(
      pact,
      {
        state: "the contract order was charged",
        description: "payments.get answers the payment of a charged order",
        action: "payments.get",
        params: byOrder,
        answer: { result: payment },
      },
      async (answer) => {
        crashAt = "orders:after-charge";
        await expect(run()).rejects.toThrow(Crash);
        overrides.paymentOf = async (orderId) => answering(answer, byOrder, () => ({ orderId }));
        clock += 60_000;
        expect(await recoverUnattended(deps())).toBe(1);
        expect((await store.get(ORDER_ID))?.status).toBe("CONFIRMED");
      },
    );
  });

  it("payments.refund: succeeds for a declined order (nothing to give back)", () => {
    const byOrder = { orderId: ORDER_ID };
    return expectAction(
      pact,
      {
        state: "no payment exists for the contract order",
        description: "payments.refund settles an order that was never charged",
        action: "payments.refund",
        params: byOrder,
        // Nothing to give back: no payment.
        answer: { result: null },
      },
      async (answer) => {
        overrides.refund = async (orderId) => answering(answer, byOrder, () => ({ orderId }));
        expect(await run(DECLINED)).toMatchObject({ status: "FAILED", settled: true });
      },
    );
  });
});

describe("orders → notifications", () => {
  const pact = consumerPact("orders", "notifications");

  it("notifications.record: delivers an order's outbox entry once", async () => {
    const order = await run();
    const entry = order.outbox!;
    const params = entry.payload as object;
    return expectAction(
      pact,
      {
        state: "no notification exists for the contract order",
        description: "notifications.record records the email of a confirmed order",
        action: "notifications.record",
        params,
        answer: { result: M.like({}) },
      },
      async (answer) => {
        const delivered = await relayOutbox({
          store,
          deliver: async (e) => answering(answer, params, () => e.payload as object),
          log: { debug: () => undefined },
          baseDelayMs: 10,
          maxDelayMs: 100,
          now: () => new Date(clock),
        });
        expect(delivered).toBe(1);
        expect((await store.get(ORDER_ID))?.outboxPending).toBe(false);
      },
    );
  });
});
