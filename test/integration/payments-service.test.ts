import type { Context, ServiceSchema } from "moleculer";
import { call, type Card } from "../../contracts";
import { newId } from "../../platform/core/ids";
import { startNode, type TestNode } from "../helpers/node";
import type { SimulatedProvider } from "../../services/payments/domain/simulated-provider";
import type { PaymentsStore } from "../../services/payments/store";

/** Payments on a local broker: test cards, idempotency, and card data kept out of everything. */
describe("payments service", () => {
  let node: TestNode;
  const logLines: string[] = [];
  const emitted: unknown[] = [];

  const year = new Date().getUTCFullYear() + 2;
  const card = (cardNumber: string, extra: Partial<Card> = {}): Card => ({
    cardNumber,
    expMonth: 12,
    expYear: year,
    cvc: "737",
    ...extra,
  });
  const charge = (orderId: string, c: Card | unknown, amountCents = 2500) =>
    call(node.broker, "payments.charge", { orderId, amountCents, currency: "EUR", card: c as Card });

  const service = () =>
    node.broker.getLocalService("payments") as unknown as {
      provider: SimulatedProvider;
      payments: PaymentsStore;
    };

  const spy: ServiceSchema = {
    name: "payments-spy",
    events: {
      "**"(ctx: Context) {
        emitted.push({ event: ctx.eventName, params: ctx.params });
      },
    },
  };

  beforeAll(async () => {
    // Every log line of the node, at debug level, is captured to be searched for card data.
    for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logLines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      });
    }
    node = await startNode(["payments"], {
      logLevel: "debug",
      logger: { type: "Console", options: { formatter: "simple", colors: false } },
    });
    node.broker.createService(spy);
  });
  afterAll(async () => {
    await node?.stop();
    jest.restoreAllMocks();
  });

  it("charges the success card and stores only brand and last4", async () => {
    const orderId = newId();
    const payment = await charge(orderId, card("4242 4242 4242 4242"));
    expect(payment).toMatchObject({
      orderId,
      status: "CHARGED",
      amountCents: 2500,
      currency: "EUR",
      brand: "visa",
      last4: "4242",
    });
    expect(await call(node.broker, "payments.get", { orderId })).toEqual(payment);
    const stored = JSON.stringify(await service().payments.get(orderId));
    expect(stored).not.toContain("4242424242424242");
    expect(stored).not.toContain("737");
    expect(service().provider.capturedCents(orderId)).toBe(2500);
  });

  it("a repeated charge returns the first result and never charges twice (also concurrently)", async () => {
    const orderId = newId();
    const before = service().provider.approvedCount();
    const results = await Promise.all(Array.from({ length: 5 }, () => charge(orderId, card("4242424242424242"))));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    // A later repeat with another amount still answers the first charge.
    expect(await charge(orderId, card("4242424242424242"), 9999)).toEqual(results[0]);
    expect(service().provider.approvedCount()).toBe(before + 1);
    expect(service().provider.capturedCents(orderId)).toBe(2500);
  });

  it.each([
    ["4000000000000002", "PAYMENT_DECLINED"],
    ["4000000000009995", "INSUFFICIENT_FUNDS"],
  ])("declines %s with 402 %s, and remembers the decline", async (number, type) => {
    const orderId = newId();
    await expect(charge(orderId, card(number))).rejects.toMatchObject({ code: 402, type, data: { orderId } });
    // The same order with a good card now: still the first outcome.
    await expect(charge(orderId, card("4242424242424242"))).rejects.toMatchObject({ code: 402, type });
    expect(await call(node.broker, "payments.get", { orderId })).toBeNull();
    expect(await call(node.broker, "payments.refund", { orderId })).toBeNull();
    expect(service().provider.capturedCents(orderId)).toBe(0);
  });

  it.each([
    ["a Luhn-invalid number", card("4242424242424241"), "CARD_INVALID"],
    ["a past expiry", card("4242424242424242", { expYear: 2020 }), "CARD_EXPIRED"],
    ["letters in the number", card("4242abcd42424242"), "CARD_INVALID"],
    ["a bad CVC", card("4242424242424242", { cvc: "12" }), "CARD_INVALID"],
    ["month 13", card("4242424242424242", { expMonth: 13 }), "CARD_INVALID"],
    ["a string card", "4242424242424242", "CARD_INVALID"],
    ["an operator", { cardNumber: { $gt: "" }, expMonth: 1, expYear: year, cvc: "123" }, "CARD_INVALID"],
    ["a huge number", card("4".repeat(100_000)), "CARD_INVALID"],
  ])("refuses %s with 422 and keeps nothing", async (_name, c, type) => {
    const orderId = newId();
    await expect(charge(orderId, c)).rejects.toMatchObject({ code: 422, type });
    expect(await service().payments.get(orderId)).toBeNull();
  });

  it("refund is idempotent; a refunded order is not charged again", async () => {
    const orderId = newId();
    await charge(orderId, card("5555555555554444"));
    const refunded = await call(node.broker, "payments.refund", { orderId });
    expect(refunded).toMatchObject({ status: "REFUNDED", brand: "mastercard", last4: "4444" });
    expect(await call(node.broker, "payments.refund", { orderId })).toEqual(refunded);
    expect((await charge(orderId, card("5555555555554444"))).status).toBe("REFUNDED");
    expect(service().provider.capturedCents(orderId)).toBe(0);
  });

  it("refund without a charge answers null and refuses a late charge for that order", async () => {
    const orderId = newId();
    expect(await call(node.broker, "payments.refund", { orderId })).toBeNull();
    await expect(charge(orderId, card("4242424242424242"))).rejects.toMatchObject({
      code: 409,
      type: "PAYMENT_VOIDED",
    });
    expect(service().provider.capturedCents(orderId)).toBe(0);
  });

  it("a charge interrupted after the provider call is finished by a repeat, or settled by a refund", async () => {
    // The record a crash leaves: claimed (PENDING), provider already asked.
    const orderId = newId();
    await service().provider.charge({
      idempotencyKey: orderId,
      amountCents: 2500,
      currency: "EUR",
      card: card("4242424242424242"),
    });
    const now = new Date().toISOString();
    await service().payments.insert({
      _id: orderId,
      orderId,
      state: "PENDING",
      amountCents: 2500,
      currency: "EUR",
      brand: "visa",
      last4: "4242",
      createdAt: now,
      updatedAt: now,
    });
    expect((await call(node.broker, "payments.get", { orderId }))?.status).toBe("PENDING");
    const before = service().provider.approvedCount();
    expect((await charge(orderId, card("4242424242424242"))).status).toBe("CHARGED");
    expect(service().provider.approvedCount()).toBe(before);

    const other = newId();
    await service().payments.insert({
      _id: other,
      orderId: other,
      state: "PENDING",
      amountCents: 100,
      currency: "EUR",
      brand: "visa",
      last4: "4242",
      createdAt: now,
      updatedAt: now,
    });
    expect((await call(node.broker, "payments.refund", { orderId: other }))?.status).toBe("REFUNDED");
    expect(service().provider.capturedCents(other)).toBe(0);
  });

  it("refuses malformed order ids, amounts and currencies with 422", async () => {
    const good = card("4242424242424242");
    const bad: unknown[] = [
      { orderId: "nope", amountCents: 1, currency: "EUR", card: good },
      { orderId: { $ne: "" }, amountCents: 1, currency: "EUR", card: good },
      { orderId: newId(), amountCents: 0, currency: "EUR", card: good },
      { orderId: newId(), amountCents: "10", currency: "EUR", card: good },
      { orderId: newId(), amountCents: 10, currency: "euro", card: good },
      { orderId: newId(), amountCents: 10, currency: "EUR" },
      { orderId: newId(), amountCents: 10, currency: "EUR", card: good, extra: 1 },
    ];
    for (const params of bad) {
      await expect(call(node.broker, "payments.charge", params as never)).rejects.toMatchObject({ code: 422 });
    }
    await expect(call(node.broker, "payments.refund", { orderId: "x" })).rejects.toMatchObject({ code: 422 });
  });

  it("never lets the card number or CVC reach an error, a log line or an event", async () => {
    const secrets = ["4000000000000002", "4242424242424241", "4242424242424242", "9876"];
    const errors: unknown[] = [];
    for (const number of secrets.slice(0, 3)) {
      try {
        await charge(newId(), card(number, { cvc: "9876" }));
      } catch (err) {
        errors.push(err);
      }
      try {
        await charge(newId(), card(number, { cvc: "9876", expYear: 2001 }));
      } catch (err) {
        errors.push(err);
      }
    }
    expect(errors.length).toBeGreaterThanOrEqual(5);
    // Ids are random hex and could contain the CVC's digits by chance: mask them first.
    const everything = JSON.stringify({ errors, logLines, emitted }, (_k, v) =>
      v instanceof Error ? { ...v, message: v.message } : v,
    ).replace(/[0-9a-f]{24}/g, "<id>");
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(logLines.length).toBeGreaterThan(0);
  });
});
