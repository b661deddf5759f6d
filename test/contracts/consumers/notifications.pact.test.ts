import { MatchersV3 as M } from "@pact-foundation/pact";
import type { ServiceBroker } from "moleculer";
import { call, type Caller, type EventContracts } from "../../../contracts";
import { consumerPact, expectEvent, localBroker } from "../pact";
import { CONTRACT_IDS } from "../states";

/** What notifications needs from the order events: the real service records one email per event. */
describe("notifications ← order events", () => {
  const pact = consumerPact("notifications", "orders-events");
  const customer: Caller = { id: CONTRACT_IDS.user, email: "pact@example.com", role: "customer" };
  let broker: ServiceBroker;

  beforeAll(async () => {
    broker = await localBroker(["notifications"]);
  });
  afterAll(() => broker.stop());

  const listed = () => call(broker, "notifications.list", {}, { meta: { user: customer } });
  const base = {
    eventId: M.like("0123456789abcdef01234567"),
    orderId: M.regex(/^[0-9a-f]{24}$/, "0123456789abcdef01234567"),
    userId: M.regex(/^[0-9a-f]{24}$/, CONTRACT_IDS.user),
    occurredAt: M.datetime("yyyy-MM-dd'T'HH:mm:ss.SSSX", "2030-01-01T00:00:00.000Z"),
  };

  it("order.confirmed: the customer gets a confirmation with the total", () =>
    expectEvent<EventContracts["order.confirmed"]>(
      pact,
      {
        state: "an order is confirmed",
        description: "order.confirmed announces a confirmed order",
        event: "order.confirmed",
        payload: { ...base, totalCents: M.integer(2800), currency: M.regex(/^[A-Z]{3}$/, "EUR") },
      },
      async (payload) => {
        await broker.emit("order.confirmed", payload);
        const found = (await listed()).find((n) => n.orderId === payload.orderId && n.event === "order.confirmed");
        expect(found).toBeDefined();
      },
    ));

  it("order.failed: the customer is told why", () =>
    expectEvent<EventContracts["order.failed"]>(
      pact,
      {
        state: "an order is declined",
        description: "order.failed announces a failed order",
        event: "order.failed",
        payload: {
          ...base,
          eventId: M.like("1123456789abcdef01234567"),
          status: M.regex(/^(FAILED|REJECTED)$/, "FAILED"),
          reason: M.like("PAYMENT_DECLINED"),
        },
      },
      async (payload) => {
        await broker.emit("order.failed", payload);
        const found = (await listed()).find((n) => n.orderId === payload.orderId && n.event === "order.failed");
        expect(found).toBeDefined();
      },
    ));
});
