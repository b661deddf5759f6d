import { call, emit, type Caller, type Notification, type OrderEvents } from "../../contracts";
import { checkoutDemo, seedDemoData } from "../../dev/repl-commands";
import { demoProducts } from "../../services/catalog/demo-products";
import { serviceSchema, startNode, type TestNode } from "../helpers/node";
import { eventually } from "../helpers/processes";
import type { OrderStore } from "../../services/orders/store";

/**
 * Durable order events: the orders outbox delivers to notifications.record
 * until acknowledged, so an event raised while no notifications service runs
 * arrives once one starts; redeliveries and the plain event are ignored.
 */
describe("order events reach notifications exactly once in effect", () => {
  let node: TestNode;

  const orders = () => (node.broker.getLocalService("orders") as unknown as { store: OrderStore }).store;
  const notificationsOf = (user: Caller) =>
    call(node.broker, "notifications.list", {}, { meta: { user } }) as Promise<Notification[]>;
  const callerOf = async (userId: string): Promise<Caller> => {
    const user = await call(node.broker, "users.get", { id: userId });
    return { id: user.id, email: user.email, role: user.role };
  };

  beforeAll(async () => {
    // No notifications service yet: it is "down" during the first checkout.
    node = await startNode(["users", "catalog", "inventory", "cart", "payments", "orders"]);
    await seedDemoData(node.broker, { products: demoProducts }, 20);
  });
  afterAll(() => node?.stop());

  it("an event raised while notifications is down is delivered once it starts, then never again", async () => {
    const order = await checkoutDemo(node.broker);
    expect(order.status).toBe("CONFIRMED");
    // The outbox keeps trying (with backoff) and the entry stays pending.
    await eventually(async () => ((await orders().get(order.id))?.outboxAttempts ?? 0) >= 1);
    expect((await orders().get(order.id))?.outboxPending).toBe(true);

    node.broker.createService(serviceSchema("notifications"));
    await node.broker.waitForServices(["notifications"]);
    const user = await callerOf(order.userId);
    const notes = await eventually(async () => {
      const list = await notificationsOf(user);
      return list.length ? list : null;
    });
    expect(notes).toEqual([
      expect.objectContaining({ event: "order.confirmed", orderId: order.id, eventId: `${order.id}:order.confirmed` }),
    ]);
    await eventually(async () => (await orders().get(order.id))?.outboxPending === false);

    // Redeliveries: the outbox again (as after a crash between delivery and
    // acknowledgement), the record action twice, the plain event twice.
    const doc = (await orders().get(order.id))!;
    const payload = doc.outbox!.payload as OrderEvents["order.confirmed"];
    await call(node.broker, "notifications.record", payload);
    await call(node.broker, "notifications.record", payload);
    await emit(node.broker, "order.confirmed", payload);
    await emit(node.broker, "order.confirmed", payload);
    const replay = await (
      orders() as unknown as { docs: { update(id: string, c: object, u: object): Promise<unknown> } }
    ).docs.update(order.id, {}, { $set: { outboxPending: true, outboxNextAt: 0 } });
    expect(replay).not.toBeNull();
    await eventually(async () => (await orders().get(order.id))?.outboxPending === false);

    expect(await notificationsOf(user)).toHaveLength(1);
  });

  it("a failed order gets one order.failed notification; other users see none of it", async () => {
    const failed = await checkoutDemo(node.broker, "4000000000000002").catch((err) => err.data.order);
    expect(failed.status).toBe("FAILED");
    const user = await callerOf(failed.userId);
    const notes = await eventually(async () => {
      const list = await notificationsOf(user);
      return list.length ? list : null;
    });
    expect(notes).toEqual([expect.objectContaining({ event: "order.failed", orderId: failed.id })]);

    const stranger = await call(node.broker, "users.register", {
      email: `stranger-${Date.now()}@example.com`,
      password: "password-123",
      name: "Stranger",
    });
    expect(await notificationsOf({ id: stranger.user.id, email: stranger.user.email, role: "customer" })).toEqual([]);
  });

  it("two concurrent deliveries of one event store one notification", async () => {
    const payload = {
      eventId: "cccccccccccccccccccccccc:order.confirmed",
      orderId: "cccccccccccccccccccccccc",
      userId: "dddddddddddddddddddddddd",
      totalCents: 100,
      currency: "EUR",
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => call(node.broker, "notifications.record", payload)),
    );
    expect(new Set(results.map((n) => n.id)).size).toBe(1);
    const list = await notificationsOf({ id: payload.userId, email: "x@example.com", role: "customer" });
    expect(list).toHaveLength(1);
  });
});
