import { randomUUID } from "node:crypto";
import type { ServiceBroker } from "moleculer";
import { call, type AuthResult, type Caller, type Order, type Page, type Product } from "../../contracts";
import { orderIdFor } from "../../services/orders/domain/order.rules";
import { request, type RequestOptions } from "../helpers/http";
import {
  eventually,
  startAgoraNode,
  startMongo,
  startNats,
  stopAll,
  type AgoraNode,
  type MongoServer,
  type NatsServer,
} from "../helpers/processes";
import { FAST_HEARTBEAT, startObserver } from "./cluster";

/**
 * The shop spread over processes the way compose or Kubernetes runs it:
 * orders, inventory and payments each on processes of their own, inventory
 * and payments with two replicas sharing one MongoDB-wire store (the
 * CongoDB test server, its own process), all over a real nats-server.
 */
const ADMIN = { email: "scale-admin@example.com", password: "scale-admin-password" };
const ADMIN_CALLER: Caller = { id: "ffffffffffffffffffffffff", email: ADMIN.email, role: "admin" };
const card = () => ({
  cardNumber: "4242424242424242",
  expMonth: 12,
  expYear: new Date().getUTCFullYear() + 2,
  cvc: "123",
});

describe("checkout across processes with replicated stateful services", () => {
  const namespace = `checkout${process.pid}`;
  let nats: NatsServer;
  let mongo: MongoServer;
  let gateway: AgoraNode;
  let payments: AgoraNode[];
  let observer: ServiceBroker | undefined;
  let admin: string;
  let product: Product;

  const http = <T = unknown>(method: string, p: string, opts: RequestOptions = {}) =>
    request<T>(gateway.url, method, `/api/v1${p}`, opts);

  /** A new customer with `quantity` of the product in the cart. */
  async function customerWithCart(quantity = 1): Promise<{ token: string; user: Caller }> {
    const reg = await http<AuthResult>("POST", "/auth/register", {
      body: { email: `scale-${randomUUID()}@example.com`, password: "password-123", name: "Scale" },
    });
    expect(reg.status).toBe(201);
    const { token } = reg.body;
    const put = await http("PUT", `/cart/items/${product.id}`, { token, body: { quantity } });
    expect(put.status).toBe(200);
    return { token, user: { id: reg.body.user.id, email: reg.body.user.email, role: "customer" } };
  }

  async function checkout(token: string, key = randomUUID()) {
    return http<Order>("POST", "/orders", { token, body: { payment: card() }, headers: { "idempotency-key": key } });
  }

  beforeAll(async () => {
    [nats, mongo] = await Promise.all([startNats(), startMongo()]);
    const env = {
      ...FAST_HEARTBEAT,
      NAMESPACE: namespace,
      MONGO_URI: mongo.uri,
      JWT_SECRET: "scale-checkout-secret-scale-checkout-secret",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // A call stuck on a node that died is released when the node is
      // declared dead (up to 2 × HEARTBEAT_TIMEOUT + HEARTBEAT_INTERVAL) and
      // then retried elsewhere; the request timeout must outlast that.
      REQUEST_TIMEOUT: "20000",
    };
    const node = (services: string[], nodeID: string) =>
      startAgoraNode({ services, nodeID, transporter: nats.url, env });
    const started = await Promise.all([
      node(["api"], "co-gateway"),
      node(["users", "catalog", "cart", "notifications"], "co-shop"),
      node(["orders"], "co-orders"),
      node(["inventory"], "co-inventory-1"),
      node(["inventory"], "co-inventory-2"),
      node(["payments"], "co-payments-1"),
      node(["payments"], "co-payments-2"),
    ]);
    gateway = started[0];
    payments = started.slice(5);
    observer = await startObserver(nats.url, namespace);
    // Ready when the gateway routes to every service.
    await eventually(async () => (await http("GET", "/orders")).status === 401, 20_000);
    const login = await eventually(async () => {
      const res = await http<AuthResult>("POST", "/auth/login", { body: ADMIN });
      return res.status === 200 && res.body.token;
    }, 20_000);
    admin = login as string;
    product = (await http<Page<Product>>("GET", "/products?pageSize=1")).body.rows[0];
  }, 120_000);

  afterAll(async () => {
    await observer?.stop();
    await stopAll();
  });

  it("a write through one inventory replica is read back through the other", async () => {
    const set = await http("PUT", `/inventory/${product.id}`, { token: admin, body: { quantity: 500 } });
    expect(set.status).toBe(200);
    for (const nodeID of ["co-inventory-1", "co-inventory-2"]) {
      const level = await call(observer!, "inventory.get", { productId: product.id }, { nodeID });
      expect(level.available).toBe(500);
    }
    await call(
      observer!,
      "inventory.set",
      { productId: product.id, quantity: 400 },
      { nodeID: "co-inventory-1", meta: { user: ADMIN_CALLER } },
    );
    const other = await call(observer!, "inventory.get", { productId: product.id }, { nodeID: "co-inventory-2" });
    expect(other.available).toBe(400);
  });

  it("a checkout with orders, inventory and payments on three processes is confirmed", async () => {
    const before = await call(observer!, "inventory.get", { productId: product.id });
    const { token, user } = await customerWithCart(2);
    const key = randomUUID();
    const res = await checkout(token, key);
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("CONFIRMED");
    expect(res.body.id).toBe(orderIdFor(user.id, key));
    // Both payments replicas read the same payment from the shared store.
    for (const p of payments) {
      const payment = await call(observer!, "payments.get", { orderId: res.body.id }, { nodeID: p.nodeID });
      expect(payment?.status).toBe("CHARGED");
    }
    const after = await call(observer!, "inventory.get", { productId: product.id });
    expect(after.available).toBe(before.available - 2);
    expect(after.committed).toBe(before.committed + 2);
  });

  it("kill -9 of one of two payments nodes under checkout load loses no order", async () => {
    const customers = await Promise.all(Array.from({ length: 16 }, () => customerWithCart(1)));
    const before = await call(observer!, "inventory.get", { productId: product.id });
    const results: { status: number; order?: Order; user: Caller; key: string }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < customers.length) {
        const { token, user } = customers[next++];
        const key = randomUUID();
        const res = await checkout(token, key);
        results.push({ status: res.status, order: res.body, user, key });
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, worker));
    await eventually(() => results.length >= 3, 30_000, 20);
    await payments[0].kill();
    await load;

    expect(results.map((r) => `${r.status} ${r.order?.status}`)).toEqual(customers.map(() => "201 CONFIRMED"));
    for (const r of results) {
      expect(r.order!.id).toBe(orderIdFor(r.user.id, r.key));
      const payment = await call(observer!, "payments.get", { orderId: r.order!.id }, { nodeID: payments[1].nodeID });
      expect(payment?.status).toBe("CHARGED");
    }
    const after = await call(observer!, "inventory.get", { productId: product.id });
    expect(after.reserved).toBe(0);
    expect(after.committed - before.committed).toBe(customers.length);
    expect(before.available - after.available).toBe(customers.length);
  });
});
