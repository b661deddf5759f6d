import { ServiceBroker } from "moleculer";
import { NedbAdapter } from "../../../platform/store/nedb-adapter";
import { checkout } from "../../../services/orders/domain/checkout.saga";
import { OrderStore } from "../../../services/orders/store";
import { CARD, DECLINED, FakeShop, USER } from "../../helpers/fake-shop";
import { verifyProvider, type MessageMetadata } from "../pact";
import { VERIFIED } from "../verifications";

/**
 * The order events, as the real checkout saga announces them (over the fake
 * shop's cart, stock and payments), against what notifications and the Go
 * recommendations node expect.
 */
describe("orders' events honour their consumers' pacts", () => {
  const broker = new ServiceBroker({ logger: false });
  let n = 0;

  async function announced(metadata: MessageMetadata): Promise<unknown> {
    const adapter = new NedbAdapter();
    adapter.init(broker, broker.createService({ name: `orders-events-${++n}` }));
    await adapter.connect();
    const shop = new FakeShop();
    await checkout(
      {
        store: new OrderStore(adapter),
        ports: shop,
        leaseMs: 1000,
        faultPoint: () => undefined,
        log: { warn: () => undefined },
        sleep: async () => undefined,
      },
      {
        userId: USER,
        idempotencyKey: `events-${n}`,
        card: metadata.event === "order.failed" ? DECLINED : CARD,
        waitMs: 0,
      },
    );
    await adapter.disconnect();
    return shop.announced.find((entry) => entry.event === metadata.event)?.payload;
  }

  it("order.confirmed and order.failed", () =>
    verifyProvider({
      provider: "orders-events",
      consumers: VERIFIED["orders-events"],
      states: { "an order is confirmed": async () => undefined, "an order is declined": async () => undefined },
      produce: (metadata) => announced(metadata),
    }));
});
