import { randomUUID } from "node:crypto";
import type { AuthResult, Order, Page, Product } from "../../contracts";
import { get, request } from "../helpers/http";
import { eventually, startAgoraNode, startNats, stopAll, type AgoraNode } from "../helpers/processes";
import { startJaegerReceiver, type JaegerReceiver, type ReceivedSpan } from "../helpers/jaeger-receiver";

/**
 * A checkout through the gateway on a real cluster (nats-server, one process
 * per part of the saga: orders, inventory, payments on their own nodes):
 * ONE Jaeger trace spans the processes with correct parent links, no card
 * data reaches spans or logs, and the business metrics on each node's
 * Prometheus endpoint move.
 */
const ADMIN = { email: "obs-admin@example.com", password: "obs-admin-password-1" };
const CARD_OK = "4242424242424242";
const CARD_DECLINED = "4000000000000002";
const CVC = "987";
const YEAR = new Date().getUTCFullYear() + 2;
const ZERO = /^0+$/;

describe("a checkout, observed (traces, metrics, logs)", () => {
  let receiver: JaegerReceiver;
  let nodes: Record<"gateway" | "shop" | "inventory" | "orders" | "payments", AgoraNode>;
  let adminToken: string;
  let customerToken: string;
  let product: Product;

  const api = <T = unknown>(method: string, path: string, opts: Parameters<typeof request>[3] = {}) =>
    request<T>(nodes.gateway.url, method, `/api/v1${path}`, opts);

  const checkout = (cardNumber: string, requestId: string) =>
    api<Order>("POST", "/orders", {
      token: customerToken,
      headers: { "Idempotency-Key": randomUUID(), "X-Request-Id": requestId },
      body: { payment: { cardNumber, expMonth: 12, expYear: YEAR, cvc: CVC } },
    });

  beforeAll(async () => {
    receiver = await startJaegerReceiver();
    const nats = await startNats();
    const env = { JAEGER_ENDPOINT: receiver.endpoint, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
    const start = (services: string[], nodeID: string) =>
      startAgoraNode({ services, nodeID, transporter: nats.url, env });
    const [gateway, shop, inventory, orders, payments] = await Promise.all([
      start(["api", "users"], "obs-gateway"),
      start(["catalog", "cart", "notifications"], "obs-shop"),
      start(["inventory"], "obs-inventory"),
      start(["orders"], "obs-orders"),
      start(["payments"], "obs-payments"),
    ]);
    nodes = { gateway, shop, inventory, orders, payments };

    // Every node is ready (its dependencies discovered) before the first request.
    for (const node of Object.values(nodes)) {
      await eventually(async () => (await get(node.healthUrl, "/readyz")).status === 200, 60_000);
    }
    await eventually(async () => (await api("GET", "/products?pageSize=1")).status === 200, 30_000);

    adminToken = (await api<AuthResult>("POST", "/auth/login", { body: ADMIN })).body.token;
    const list = await api<Page<Product>>("GET", "/products?pageSize=1&sort=name");
    product = list.body.rows[0];
    // Two in stock: below the low-stock threshold (5), and enough for one order.
    // moleculer-web adds a remote service's routes shortly (500 ms debounce) after it appears.
    await eventually(
      async () =>
        (await api("PUT", `/inventory/${product.id}`, { token: adminToken, body: { quantity: 2 } })).status === 200,
    );

    const reg = await api<AuthResult>("POST", "/auth/register", {
      body: { email: `obs-${randomUUID()}@example.com`, password: "customer-password-1", name: "Obs" },
    });
    customerToken = reg.body.token;
    await eventually(
      async () =>
        (await api("PUT", `/cart/items/${product.id}`, { token: customerToken, body: { quantity: 1 } })).status === 200,
    );
    // The orders routes too (same debounce), before the first checkout.
    await eventually(async () => (await api("GET", "/orders", { token: customerToken })).status === 200);
  }, 180_000);

  afterAll(async () => {
    await stopAll();
    await receiver?.close();
  });

  /** The spans of a trace once every named node has reported and no more arrive. */
  async function settledTrace(traceId: string, nodeIDs: string[]): Promise<ReceivedSpan[]> {
    let last = -1;
    const spans = await eventually(
      () => {
        const spans = receiver.spans.filter((s) => s.traceId === traceId);
        const seen = new Set(spans.map((s) => s.nodeID));
        const settled = nodeIDs.every((id) => seen.has(id)) && spans.length === last;
        last = spans.length;
        return settled ? spans : undefined;
      },
      30_000,
      1500,
    ).catch((err: Error) => {
      const got = receiver.spans.filter((s) => s.traceId === traceId).map((s) => `${s.nodeID} ${s.operationName}`);
      throw new Error(`${err.message}; trace ${traceId} has: ${JSON.stringify(got)}`);
    });
    return spans!;
  }

  let confirmedTraceId: string;

  it("a confirmed checkout is ONE trace across gateway, orders, inventory and payments processes", async () => {
    const res = await checkout(CARD_OK, "checkout-obs-1");
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("CONFIRMED");
    expect(res.headers.get("x-request-id")).toBe("checkout-obs-1");
    confirmedTraceId = res.headers.get("x-trace-id")!;

    const spans = await settledTrace(confirmedTraceId, ["obs-gateway", "obs-orders", "obs-inventory", "obs-payments"]);
    const processes = new Set(spans.map((s) => s.nodeID));
    for (const id of ["obs-gateway", "obs-orders", "obs-inventory", "obs-payments"]) expect(processes).toContain(id);

    const roots = spans.filter((s) => ZERO.test(s.parentSpanId));
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ nodeID: "obs-gateway", operationName: "POST /api/v1/orders" });

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const span of spans) if (span !== roots[0]) expect(byId.get(span.parentSpanId)).toBeDefined();

    // The saga's steps are children of the checkout action, each on its own node.
    const step = (name: string) => spans.find((s) => s.operationName === `action '${name}'`)!;
    const checkoutSpan = step("orders.checkout");
    expect(checkoutSpan.nodeID).toBe("obs-orders");
    for (const [name, node] of [
      ["cart.snapshot", "obs-shop"],
      ["inventory.reserve", "obs-inventory"],
      ["payments.charge", "obs-payments"],
    ]) {
      expect(step(name).nodeID).toBe(node);
      expect(step(name).parentSpanId).toBe(checkoutSpan.spanId);
    }
  });

  it("event handlers are spans of the request's trace: a new product reaches inventory on its own node", async () => {
    const res = await api<Product>("POST", "/products", {
      token: adminToken,
      body: { sku: `OBS-${Date.now()}`, name: "Traced Lamp", priceCents: 4200, currency: "EUR", category: "home" },
    });
    expect(res.status).toBe(201);
    const spans = await settledTrace(res.headers.get("x-trace-id")!, ["obs-gateway", "obs-shop", "obs-inventory"]);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const create = spans.find((s) => s.operationName === "action 'catalog.create'")!;
    const handler = spans.find((s) => s.operationName === "event 'catalog.product.created' in 'inventory'")!;
    expect(handler).toMatchObject({ nodeID: "obs-inventory" });
    expect(handler.tags["span.type"]).toBe("event");
    // The handler descends from the create action that emitted the event.
    let ancestor = byId.get(handler.parentSpanId);
    while (ancestor && ancestor !== create) ancestor = byId.get(ancestor.parentSpanId);
    expect(ancestor).toBe(create);
  });

  it("a declined checkout is traced with the error, and no card data is in any span or log", async () => {
    // The confirmed order emptied the cart.
    const line = await api("PUT", `/cart/items/${product.id}`, { token: customerToken, body: { quantity: 1 } });
    expect(line.status).toBe(200);
    const res = await checkout(CARD_DECLINED, "checkout-obs-2");
    expect(res.status).toBe(402);
    const spans = await settledTrace(res.headers.get("x-trace-id")!, ["obs-gateway", "obs-orders", "obs-payments"]);
    const charge = spans.find((s) => s.operationName === "action 'payments.charge'")!;
    expect(charge.tags.error).toBe(true);
    expect(charge.tags["error.code"]).toBe(402);

    const leaks = (secret: string) => receiver.spans.filter((s) => s.raw.includes(secret)).map((s) => s.operationName);
    for (const secret of [CARD_OK, CARD_DECLINED, customerToken, adminToken, ADMIN.password]) {
      expect(leaks(secret)).toEqual([]);
      for (const node of Object.values(nodes)) expect(node.output()).not.toContain(secret);
    }
    expect(receiver.spans.filter((s) => s.tags.cvc !== undefined || s.raw.includes('"cvc"'))).toEqual([]);
  });

  it("the business metrics on each node's /metrics moved", async () => {
    const scrape = async (node: AgoraNode) => (await get(node.metricsUrl, "/metrics")).text;
    const value = (text: string, name: string, ...labels: string[]) => {
      const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && labels.every((x) => l.includes(x)));
      return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : undefined;
    };

    const orders = await scrape(nodes.orders);
    expect(value(orders, "agora_orders_total", 'status="CONFIRMED"')).toBe(1);
    expect(value(orders, "agora_orders_total", 'status="FAILED"')).toBe(1);
    // A histogram: the +Inf bucket counts every observation.
    expect(value(orders, "agora_checkout_duration_seconds_bucket", 'status="CONFIRMED"', 'le="+Inf"')).toBe(1);

    const payments = await scrape(nodes.payments);
    expect(value(payments, "agora_payment_declines_total", 'reason="PAYMENT_DECLINED"')).toBe(1);

    // 2 set, then 1 sold: below the threshold of 5.
    const inventory = await scrape(nodes.inventory);
    expect(value(inventory, "agora_products_low_stock")).toBe(1);

    // Notifications arrive through the orders outbox, shortly after the answer.
    await eventually(
      async () => (value(await scrape(nodes.shop), "agora_notification_lag_seconds_bucket", 'le="+Inf"') ?? 0) >= 1,
    );

    // Moleculer's own metrics are there too, per node.
    expect(value(await scrape(nodes.gateway), "moleculer_request_total", 'action="api.rest"')).toBeGreaterThan(0);
  });
});
