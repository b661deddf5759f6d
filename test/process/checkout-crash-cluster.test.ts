import { randomUUID } from "node:crypto";
import { ServiceBroker } from "moleculer";
import { call, type AuthResult, type Caller, type Page, type Product } from "../../contracts";
import { orderIdFor } from "../../services/orders/domain/order.rules";
import { request, type RequestOptions } from "../helpers/http";
import { TestCallsAsSystem } from "../helpers/system-calls";
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

/**
 * The crash tests again, as a cluster: every node a real process over NATS,
 * one shared MongoDB-wire store. The orders node dies at a saga step; two
 * fresh orders nodes then start at once and race to recover the order (the
 * lease lets one drive it). A service-less broker joins the cluster to check
 * the invariants through the services' own actions.
 */
const ADMIN = { email: "cluster-crash-admin@example.com", password: "cluster-crash-admin-pw" };
const ADMIN_CALLER: Caller = { id: "ffffffffffffffffffffffff", email: ADMIN.email, role: "admin" };
const INITIAL_STOCK = 10;
const QUANTITY = 2;

describe("orders node killed mid-checkout in a cluster (NATS, shared MongoDB-wire store)", () => {
  const namespace = `crash${process.pid}`;
  let nats: NatsServer;
  let mongo: MongoServer;
  let shop: AgoraNode;
  let observer: ServiceBroker;
  let env: NodeJS.ProcessEnv;
  let admin: string;
  let product: Product;

  const http = <T = unknown>(method: string, p: string, opts: RequestOptions = {}) =>
    request<T>(shop.url, method, `/api/v1${p}`, opts);
  const startOrders = (name: string, extra: NodeJS.ProcessEnv = {}) =>
    startAgoraNode({ services: ["orders"], nodeID: name, transporter: nats.url, env: { ...env, ...extra } });

  beforeAll(async () => {
    [nats, mongo] = await Promise.all([startNats(), startMongo()]);
    env = {
      NAMESPACE: namespace,
      MONGO_URI: mongo.uri,
      JWT_SECRET: "cluster-crash-secret-cluster-crash-secret",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      HEARTBEAT_INTERVAL: "1",
      HEARTBEAT_TIMEOUT: "4",
      REQUEST_TIMEOUT: "4000",
      ORDERS_PENDING_TIMEOUT_MS: "1500",
      ORDERS_RECOVERY_INTERVAL_MS: "500",
      ORDERS_OUTBOX_INTERVAL_MS: "300",
    };
    shop = await startAgoraNode({
      services: ["api", "users", "catalog", "inventory", "cart", "payments", "notifications"],
      nodeID: "shop",
      transporter: nats.url,
      env,
    });
    observer = new ServiceBroker({
      namespace,
      nodeID: `observer-${process.pid}`,
      transporter: { type: "NATS", options: { url: nats.url } },
      logger: false,
      heartbeatInterval: 1,
      heartbeatTimeout: 4,
      requestTimeout: 4000,
      // Test code drives services directly as the system (test/helpers/system-calls.ts).
      middlewares: [TestCallsAsSystem],
    });
    await observer.start();
    admin = (await http<AuthResult>("POST", "/auth/login", { body: ADMIN })).body.token;
    product = (await http<Page<Product>>("GET", "/products?pageSize=1")).body.rows[0];
  }, 120_000);

  afterAll(async () => {
    await observer?.stop();
    await stopAll();
  });

  it.each([
    ["after-reserve", "FAILED"],
    ["after-charge", "CONFIRMED"],
    ["after-commit", "CONFIRMED"],
  ])(
    "orders:%s → %s; charged iff CONFIRMED, stock adds up, one notification",
    async (step, expected) => {
      expect(
        (await http("PUT", `/inventory/${product.id}`, { token: admin, body: { quantity: INITIAL_STOCK } })).status,
      ).toBe(200);
      const before = await call(observer, "inventory.get", { productId: product.id });
      const reg = await http<AuthResult>("POST", "/auth/register", {
        body: { email: `cc-${randomUUID()}@example.com`, password: "password-123", name: "Cluster" },
      });
      const token = reg.body.token;
      const user: Caller = { id: reg.body.user.id, email: reg.body.user.email, role: "customer" };
      await http("PUT", `/cart/items/${product.id}`, { token, body: { quantity: QUANTITY } });

      // The only orders node, set to die at the step.
      const doomed = await startOrders(`orders-doomed-${step}`, { FAULTS: `crash=orders:${step}` });
      await eventually(async () => (await http("GET", "/orders", { token })).status === 200, 20_000);
      const key = randomUUID();
      const orderId = orderIdFor(user.id, key);
      const card = {
        cardNumber: "4242424242424242",
        expMonth: 12,
        expYear: new Date().getUTCFullYear() + 2,
        cvc: "123",
      };
      const answer = http("POST", "/orders", { token, body: { payment: card }, headers: { "idempotency-key": key } });
      await doomed.exited;
      expect(doomed.output()).toContain(`FAULT: crash at orders:${step}`);

      // Two replacements race for the order.
      const rescuers = await Promise.all([startOrders(`orders-a-${step}`), startOrders(`orders-b-${step}`)]);
      await answer.catch(() => undefined);

      const order = await eventually(async () => {
        const o = await call(observer, "orders.get", { id: orderId }, { meta: { user: ADMIN_CALLER } });
        return o.status !== "PENDING" ? o : null;
      }, 30_000);
      expect(order!.status).toBe(expected);

      const notes = await eventually(async () => {
        const list = await call(observer, "notifications.list", {}, { meta: { user } });
        return list.length ? list : null;
      }, 30_000);
      // Settled: stock moved to where the outcome says, nothing left reserved.
      const level = await eventually(async () => {
        const l = await call(observer, "inventory.get", { productId: product.id });
        return l.reserved === 0 && l.committed === before.committed + (expected === "CONFIRMED" ? QUANTITY : 0)
          ? l
          : null;
      }, 30_000);
      expect(level!.available + level!.reserved + level!.committed).toBe(
        before.available + before.reserved + before.committed,
      );
      const payment = await call(observer, "payments.get", { orderId });
      expect(payment?.status === "CHARGED").toBe(expected === "CONFIRMED");

      // Still exactly one notification once the dust settles.
      await new Promise((r) => setTimeout(r, 1500));
      expect(notes).toHaveLength(1);
      expect(await call(observer, "notifications.list", {}, { meta: { user } })).toHaveLength(1);

      await Promise.all(rescuers.map((n) => n.stop("SIGTERM")));
    },
    120_000,
  );
});
