import { luhnValid } from "../../platform/core/luhn";
import { parseFaults } from "../../dev/fault-injection";
import {
  checkCard,
  checkIdempotencyKey,
  checkoutError,
  newOrderDoc,
  orderIdFor,
  outboxBackoff,
  toOrder,
} from "../../services/orders/domain/order.rules";
import { notificationFor, notificationIdFor } from "../../services/notifications/domain/notification.rules";

const USER = "aaaaaaaaaaaaaaaaaaaaaaaa";
const cart = {
  items: [{ productId: "bbbbbbbbbbbbbbbbbbbbbbbb", name: "Mug", quantity: 3, unitPriceCents: 1400 }],
  totalCents: 4200,
  currency: "EUR",
};

describe("order rules", () => {
  it("derives one 24-hex order id per user and key", () => {
    const id = orderIdFor(USER, "key-00000001");
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(orderIdFor(USER, "key-00000001")).toBe(id);
    expect(orderIdFor(USER, "key-00000002")).not.toBe(id);
    expect(orderIdFor("cccccccccccccccccccccccc", "key-00000001")).not.toBe(id);
  });

  it.each([
    [undefined, "IDEMPOTENCY_KEY_REQUIRED"],
    ["", "IDEMPOTENCY_KEY_REQUIRED"],
    ["short", "INVALID_IDEMPOTENCY_KEY"],
    ["x".repeat(129), "INVALID_IDEMPOTENCY_KEY"],
    ["has spaces in it", "INVALID_IDEMPOTENCY_KEY"],
    [{ $ne: null }, "IDEMPOTENCY_KEY_REQUIRED"],
  ])("refuses the idempotency key %p with 400 %s", (key, type) => {
    expect(() => checkIdempotencyKey(key)).toThrow(expect.objectContaining({ code: 400, type }));
  });

  it("accepts 8..128 visible characters", () => {
    expect(checkIdempotencyKey("12345678")).toBe("12345678");
    expect(checkIdempotencyKey("k".repeat(128))).toHaveLength(128);
  });

  it("checks the Luhn sum and the expiry without echoing the card", () => {
    expect(luhnValid("4242424242424242")).toBe(true);
    expect(luhnValid("4242424242424241")).toBe(false);
    const now = new Date("2030-06-15T00:00:00Z");
    const card = { cardNumber: "4242424242424242", expMonth: 6, expYear: 2030, cvc: "123" };
    expect(() => checkCard(card, now)).not.toThrow();
    expect(() => checkCard({ ...card, expMonth: 5 }, now)).toThrow(expect.objectContaining({ code: 422 }));
    try {
      checkCard({ ...card, cardNumber: "4242424242424241" }, now);
      throw new Error("expected a 422");
    } catch (err) {
      expect(err).toMatchObject({ code: 422, type: "INVALID_CARD" });
      expect(JSON.stringify(err)).not.toContain("4242424242424241");
    }
  });

  it("snapshots the cart into a PENDING order and shows only public fields", () => {
    const doc = newOrderDoc("dddddddddddddddddddddddd", USER, cart, new Date("2030-01-01T00:00:00Z"), 1000);
    expect(doc).toMatchObject({
      status: "PENDING",
      totalCents: 4200,
      settled: false,
      leaseUntil: Date.parse("2030-01-01T00:00:01Z"),
    });
    expect(Object.keys(toOrder(doc)).sort()).toEqual([
      "createdAt",
      "currency",
      "failureReason",
      "id",
      "items",
      "payment",
      "status",
      "totalCents",
      "updatedAt",
      "userId",
    ]);
  });

  it("answers a failed checkout with the order in the error data", () => {
    const doc = newOrderDoc("dddddddddddddddddddddddd", USER, cart, new Date(), 1000);
    const failed = { ...doc, status: "FAILED" as const, failureCode: 402, failureType: "PAYMENT_DECLINED" };
    expect(checkoutError(failed)).toMatchObject({
      code: 402,
      type: "PAYMENT_DECLINED",
      data: { order: { status: "FAILED" } },
    });
    expect(checkoutError({ ...doc, status: "REJECTED" })).toMatchObject({ code: 409, type: "OUT_OF_STOCK" });
  });

  it("backs off exponentially up to a cap", () => {
    expect([0, 1, 2, 3, 10].map((n) => outboxBackoff(n, 100, 1000))).toEqual([100, 200, 400, 800, 1000]);
  });
});

describe("notification rules", () => {
  it("maps an event id to one notification id", () => {
    expect(notificationIdFor("x:order.confirmed")).toBe(notificationIdFor("x:order.confirmed"));
    expect(notificationIdFor("x:order.confirmed")).toMatch(/^[0-9a-f]{24}$/);
  });

  it("writes an email per event kind", () => {
    const base = { orderId: "dddddddddddddddddddddddd", userId: USER };
    expect(notificationFor({ ...base, eventId: "e1", totalCents: 4200, currency: "EUR" })).toMatchObject({
      event: "order.confirmed",
      channel: "email",
      subject: "Your order is confirmed",
    });
    expect(notificationFor({ ...base, eventId: "e2", status: "FAILED", reason: "declined" })).toMatchObject({
      event: "order.failed",
    });
  });
});

describe("FAULTS parsing", () => {
  it("reads action faults and crash points", () => {
    const rules = parseFaults(
      "payments.charge=error, inventory.reserve=error:503, cart.empty=crash, crash=orders:after-charge",
    );
    expect(rules.actions.get("payments.charge")).toEqual({ kind: "error", code: 500 });
    expect(rules.actions.get("inventory.reserve")).toEqual({ kind: "error", code: 503 });
    expect(rules.actions.get("cart.empty")).toEqual({ kind: "crash" });
    expect([...rules.crashPoints]).toEqual(["orders:after-charge"]);
  });

  it("refuses what it does not understand", () => {
    expect(() => parseFaults("payments.charge=explode")).toThrow(/unknown fault/);
    expect(() => parseFaults("nonsense")).toThrow(/name=fault/);
  });
});
