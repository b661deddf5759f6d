import { NedbAdapter } from "../../platform/store/nedb-adapter";
import { Errors, ServiceBroker } from "moleculer";
import { CARD, Crash, DECLINED, FakeShop, USER } from "../helpers/fake-shop";
import { checkout, recoverUnattended, type SagaDeps } from "../../services/orders/domain/checkout.saga";
import { OrderStore } from "../../services/orders/store";
import { orderIdFor, type OrderDoc, type OutboxEntry } from "../../services/orders/domain/order.rules";
import { relayOutbox } from "../../services/orders/domain/outbox-relay";

/**
 * The saga against an in-memory order store and fake services that behave
 * like the real ones (idempotent by orderId). Crashes are simulated by a
 * fault point that throws; recovery then runs with the clock moved past the lease.
 */

describe("checkout saga", () => {
  let broker: ServiceBroker;
  let adapter: NedbAdapter;
  let store: OrderStore;
  let shop: FakeShop;
  let clock: number;
  let crashAt: string | null;
  const LEASE = 1000;

  const deps = (): SagaDeps => ({
    store,
    ports: shop,
    leaseMs: LEASE,
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

  const run = (card = CARD, key = "key-00000001") =>
    checkout(deps(), { userId: USER, idempotencyKey: key, card, waitMs: 0 });

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
    crashAt = null;
  });

  afterEach(() => adapter.disconnect());

  it("confirms, commits, empties the cart, and queues order.confirmed in the outbox", async () => {
    const order = await run();
    expect(order).toMatchObject({
      status: "CONFIRMED",
      totalCents: 2800,
      payment: { brand: "visa", last4: "4242" },
      settled: true,
      outboxPending: true,
    });
    expect(order.done).toMatchObject({ reserve: true, charge: true, commit: true, emptyCart: true });
    expect(order.outbox?.event).toBe("order.confirmed");
    expect(shop.committedQty()).toBe(2);
    expect(shop.available).toBe(3);
    expect(shop.cart.items).toHaveLength(0);
    expect(shop.announced.map((e) => e.event)).toEqual(["order.confirmed"]);
  });

  it("writes a confirmed order three times: created, confirmed (steps done with it), settled", async () => {
    const writes: string[] = [];
    const { insertDoc, updateDoc } = adapter;
    adapter.insertDoc = (doc) => (writes.push("insert"), insertDoc.call(adapter, doc));
    adapter.updateDoc = (id, cond, update) => (
      writes.push(Object.keys((update as { $set: object }).$set).join()),
      updateDoc.call(adapter, id, cond, update)
    );
    const order = await run();
    expect(writes).toHaveLength(3);
    expect(order.done).toMatchObject({ reserve: true, charge: true, commit: true, emptyCart: true });
    expect(await store.get(order._id)).toMatchObject({ status: "CONFIRMED", settled: true, done: order.done });
  });

  it("writes a step at once, extending the lease, when a third of the lease has gone by (a slow step)", async () => {
    shop.duringCharge = {
      when: "after",
      run: async () => {
        clock += LEASE / 2;
      },
    };
    const order = await run();
    expect(order).toMatchObject({ status: "CONFIRMED", settled: true });
    // The charge's write extended the lease from the time it finished.
    expect(order.leaseUntil).toBe(clock + LEASE);
  });

  describe("a repeated checkout of an order whose driver is gone (killed, hung, restarted)", () => {
    const withDriver = (id: string, gone: (driver: string) => boolean): SagaDeps => ({
      ...deps(),
      driver: { id, gone: async (driver) => gone(driver) },
    });
    const input = { userId: USER, idempotencyKey: "key-00000001", card: CARD, waitMs: 0 };

    it("is driven to its outcome by the repeated request, with its card", async () => {
      crashAt = "orders:after-reserve";
      await expect(
        checkout(
          withDriver("i1@orders-1", () => false),
          input,
        ),
      ).rejects.toBeInstanceOf(Crash);
      const order = await checkout(
        withDriver("i2@orders-2", (driver) => driver === "i1@orders-1"),
        input,
      );
      expect(order).toMatchObject({ status: "CONFIRMED", settled: true, driver: "i2@orders-2" });
      expect(shop.chargeCalls).toBe(1);
      expect(shop.committedQty()).toBe(2);
      expect(shop.reservedQty()).toBe(0);
    });

    it("is only waited for while its driver is there", async () => {
      crashAt = "orders:after-reserve";
      await expect(
        checkout(
          withDriver("i1@orders-1", () => false),
          input,
        ),
      ).rejects.toBeInstanceOf(Crash);
      const order = await checkout(
        withDriver("i2@orders-2", () => false),
        input,
      );
      expect(order).toMatchObject({ status: "PENDING", driver: "i1@orders-1" });
      expect(shop.chargeCalls).toBe(0);
    });
  });

  it("rejects an empty cart without storing an order", async () => {
    shop.cart = { items: [], totalCents: 0, currency: "EUR" };
    await expect(run()).rejects.toMatchObject({ code: 422, type: "CART_EMPTY" });
    expect(await store.get(orderIdFor(USER, "key-00000001"))).toBeNull();
  });

  it("a decline fails the order and gives the stock back", async () => {
    const order = await run(DECLINED);
    expect(order).toMatchObject({ status: "FAILED", failureCode: 402, failureType: "PAYMENT_DECLINED", settled: true });
    expect(shop.available).toBe(5);
    expect(shop.reservedQty()).toBe(0);
    expect(order.outbox?.event).toBe("order.failed");
  });

  it("not enough stock rejects the order", async () => {
    shop.available = 1;
    const order = await run();
    expect(order).toMatchObject({ status: "REJECTED", failureCode: 409, failureType: "OUT_OF_STOCK" });
    expect(shop.available).toBe(1);
    expect(shop.chargeCalls).toBe(0);
  });

  it("payments failing with server errors: retried, then FAILED with nothing charged and stock back", async () => {
    shop.failCharge = new Errors.MoleculerError("boom", 500, "INJECTED_FAULT");
    const order = await run();
    expect(order).toMatchObject({ status: "FAILED", failureCode: 503 });
    expect(shop.chargeCalls).toBe(3);
    expect(shop.available).toBe(5);
    expect(shop.payments.get(order._id)).toBe("VOIDED");
  });

  it("the same key twice: one order, one charge, the same answer", async () => {
    const first = await run();
    const again = await run();
    expect(again._id).toBe(first._id);
    expect(again.status).toBe("CONFIRMED");
    expect(shop.chargeCalls).toBe(1);
    shop.cart = new FakeShop().cart;
    const other = await checkout(deps(), {
      userId: "cccccccccccccccccccccccc",
      idempotencyKey: "key-00000001",
      card: CARD,
      waitMs: 0,
    });
    expect(other._id).not.toBe(first._id);
  });

  const steps = [
    "orders:before-reserve",
    "orders:after-reserve",
    "orders:after-charge",
    "orders:after-confirm",
    "orders:after-commit",
    "orders:after-empty-cart",
  ];

  it.each(steps)("a crash at %s is recovered to a consistent terminal state", async (step) => {
    crashAt = step;
    // A crash in the follow-ups does not reach the caller (they run after the
    // answer is decided), but nothing after the crash point was written.
    await run().catch((err) => {
      if (!(err instanceof Crash)) throw err;
    });
    expect(crashAt).toBeNull();
    const id = orderIdFor(USER, "key-00000001");

    // Within the lease nobody touches it; afterwards recovery drives it.
    expect(await recoverUnattended(deps())).toBe(0);
    clock += LEASE + 1;
    expect(await recoverUnattended(deps())).toBe(1);

    const order = (await store.get(id)) as OrderDoc;
    expect(order.settled).toBe(true);
    expect(["CONFIRMED", "FAILED"]).toContain(order.status);
    const charged = shop.payments.get(id) === "CHARGED";
    expect(charged).toBe(order.status === "CONFIRMED");
    expect(shop.reservedQty()).toBe(0);
    expect(shop.available + shop.committedQty()).toBe(5);
    if (!["orders:before-reserve", "orders:after-reserve"].includes(step)) {
      expect(order.status).toBe("CONFIRMED");
      expect(shop.cart.items).toHaveLength(0);
    }
    expect(order.outbox).not.toBeNull();
    // A second pass finds nothing left to do.
    clock += LEASE + 1;
    expect(await recoverUnattended(deps())).toBe(0);
  });

  it.each([
    ["before", "FAILED"],
    ["after", "CONFIRMED"],
  ])(
    "recovery taking over while the charge is slow (%s the provider records it) ends %s, consistently",
    async (when, expected) => {
      shop.duringCharge = {
        when: when as "before" | "after",
        run: async () => {
          clock += LEASE + 1;
          expect(await recoverUnattended(deps())).toBe(1);
        },
      };
      const answered = await run();
      const stored = (await store.get(orderIdFor(USER, "key-00000001")))!;
      expect(stored.status).toBe(expected);
      // The customer is told what the store says.
      expect(answered.status).toBe(expected);
      expect(shop.payments.get(stored._id) === "CHARGED").toBe(expected === "CONFIRMED");
      expect(shop.reservedQty()).toBe(0);
      expect(shop.available + shop.committedQty()).toBe(5);
    },
  );

  it("a follow-up failing after the charge is retried to completion, the answer is still CONFIRMED", async () => {
    shop.emptyCartFailures = 2;
    const order = await run();
    expect(order).toMatchObject({ status: "CONFIRMED", settled: false });
    expect(shop.cart.items).toHaveLength(1);

    clock += LEASE + 1;
    expect(await recoverUnattended(deps())).toBe(0); // still failing: stays unsettled
    clock += LEASE + 1;
    expect(await recoverUnattended(deps())).toBe(1);
    expect(await store.get(order._id)).toMatchObject({ status: "CONFIRMED", settled: true });
    expect(shop.cart.items).toHaveLength(0);
    expect(shop.committedQty()).toBe(2);
  });

  it("two recoverers never drive the same order at once", async () => {
    crashAt = "orders:after-reserve";
    await expect(run()).rejects.toBeInstanceOf(Crash);
    clock += LEASE + 1;
    const id = orderIdFor(USER, "key-00000001");
    const a = await store.claim(id, LEASE);
    const b = await store.claim(id, LEASE);
    expect(a).not.toBeNull();
    expect(b).toBeNull();
  });

  it("the outbox relay delivers until acknowledged, with backoff, then never again", async () => {
    const order = await run();
    const delivered: string[] = [];
    let down = true;
    const relay = {
      store,
      deliver: async (e: OutboxEntry) => {
        if (down) throw new Error("notifications unavailable");
        delivered.push(e.eventId);
      },
      log: { debug: () => undefined },
      baseDelayMs: 100,
      maxDelayMs: 1000,
      now: () => new Date(clock),
    };
    expect(await relayOutbox(relay)).toBe(0);
    // Backed off: not due again right away.
    expect(await relayOutbox(relay)).toBe(0);
    down = false;
    clock += 1000;
    expect(await relayOutbox(relay)).toBe(1);
    clock += 60_000;
    expect(await relayOutbox(relay, true)).toBe(0);
    expect(delivered).toEqual([order.outbox!.eventId]);
    expect((await store.get(order._id))?.outboxPending).toBe(false);
  });
});
