import { randomUUID } from "node:crypto";
import type { ServiceBroker } from "moleculer";
import { call, type AuthResult, type Caller, type Order, type Page, type Product } from "../../contracts";
import { clusterDependencies, type ServiceDependencies } from "../../platform/observability/dependencies";
import { request, type JsonResponse, type RequestOptions } from "../helpers/http";
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
import { FAST_HEARTBEAT, servicesSeenBy, startObserver } from "./cluster";
import { expectedAnswer, routesOf, type RouteDecl } from "./dependency-matrix";

/**
 * Fault isolation (issue #13), over a real nats-server with every service on
 * a process of its own and the data in a shared MongoDB-wire store (so a
 * restarted node finds it again). For every service S: kill its node, probe
 * every route, and check the class of answer the dependency declaration
 * predicts (dependency-matrix.ts): unchanged, 503 + Retry-After + a body
 * naming S, or degraded; then restart S and check every route answers as
 * before. Then a slow service, and the "Done when" sequence.
 */
const SERVICES = ["users", "catalog", "cart", "inventory", "orders", "payments", "notifications"];
const ADMIN = { email: "faults-admin@example.com", password: "faults-admin-password" };
const card = () => ({
  cardNumber: "4242424242424242",
  expMonth: 12,
  expYear: new Date().getUTCFullYear() + 2,
  cvc: "123",
});

interface Probe {
  /** Brings the data the request needs (through the observer, not the gateway); failures are ignored. */
  setup?: () => Promise<unknown>;
  request: () => Promise<JsonResponse>;
}

describe("fault isolation: a dead or slow service takes down only what depends on it", () => {
  const namespace = `faults${process.pid}`;
  let nats: NatsServer;
  let mongo: MongoServer;
  let gateway: AgoraNode;
  const nodes = new Map<string, AgoraNode>();
  let observer: ServiceBroker;
  let env: NodeJS.ProcessEnv;
  let routes: RouteDecl[];
  let declared: Record<string, ServiceDependencies>;
  let admin: string;
  let customer: { token: string; user: Caller; email: string; password: string };
  let products: Product[];
  let orderId: string;

  const http = (method: string, p: string, opts: RequestOptions = {}) =>
    request(gateway.url, method, `/api/v1${p}`, opts);
  /** Probes that need a full cart each have a customer of their own, so one probe's cart is not another's. */
  const shoppers = new Map<string, { token: string; user: Caller }>();
  const shopper = (action: string) => shoppers.get(action)!;
  const cartPut = (productId: string, quantity = 1, user: Caller = customer.user) =>
    call(observer, "cart.setItem", { productId, quantity }, { meta: { user } });
  const startService = (name: string, extra: NodeJS.ProcessEnv = {}) =>
    startAgoraNode({ services: [name], nodeID: `fi-${name}`, transporter: nats.url, env: { ...env, ...extra } });

  /** Every live node (gateway included) sees `name` offered, or not. */
  async function everyNodeSees(name: string, present: boolean): Promise<void> {
    const live = [gateway, ...[...nodes.values()].filter((n) => n.child.exitCode === null && !n.child.signalCode)];
    await eventually(async () => {
      for (const node of live) {
        const seen = await servicesSeenBy(observer, node.nodeID);
        if (seen.has(name) !== present) return false;
      }
      return true;
    }, 30_000);
  }

  /** One request per route, each with what it needs; keyed by action name. */
  const probes: Record<string, Probe> = {
    "users.register": {
      request: () =>
        http("POST", "/auth/register", {
          body: { email: `fi-${randomUUID()}@example.com`, password: "password-123", name: "Probe" },
        }),
    },
    "users.login": {
      request: () => http("POST", "/auth/login", { body: { email: customer.email, password: customer.password } }),
    },
    "users.me": { request: () => http("GET", "/me", { token: customer.token }) },
    "catalog.list": { request: () => http("GET", "/products?pageSize=5") },
    "catalog.get": { request: () => http("GET", `/products/${products[0].id}`) },
    // The Go recommendations node is not started here: this route always runs without it (rows: []).
    "catalog.recommended": { request: () => http("GET", `/products/${products[0].id}/recommendations`) },
    "catalog.create": {
      request: () =>
        http("POST", "/products", {
          token: admin,
          body: {
            sku: `FI-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
            name: "Probe",
            priceCents: 100,
            currency: "EUR",
            category: "probe",
          },
        }),
    },
    "catalog.update": {
      request: () =>
        http("PATCH", `/products/${products[1].id}`, { token: admin, body: { description: randomUUID() } }),
    },
    "catalog.remove": {
      request: async () => {
        const created = await call(
          observer,
          "catalog.create",
          {
            sku: `FIR-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
            name: "Gone",
            priceCents: 1,
            currency: "EUR",
            category: "probe",
          },
          { meta: { user: { id: "ffffffffffffffffffffffff", email: ADMIN.email, role: "admin" } } },
        ).catch(() => products[2]);
        return http("DELETE", `/products/${created.id}`, { token: admin });
      },
    },
    "cart.get": {
      setup: () => cartPut(products[0].id, 1, shopper("cart.get").user),
      request: () => http("GET", "/cart", { token: shopper("cart.get").token }),
    },
    "cart.setItem": {
      request: () => http("PUT", `/cart/items/${products[0].id}`, { token: customer.token, body: { quantity: 1 } }),
    },
    "cart.removeItem": {
      // Two lines, so the cart left still shows a product from the catalog.
      setup: async () => {
        await cartPut(products[0].id, 1, shopper("cart.removeItem").user);
        await cartPut(products[1].id, 1, shopper("cart.removeItem").user);
      },
      request: () => http("DELETE", `/cart/items/${products[1].id}`, { token: shopper("cart.removeItem").token }),
    },
    "cart.clear": {
      setup: () => cartPut(products[0].id, 1, shopper("cart.clear").user),
      request: () => http("DELETE", "/cart", { token: shopper("cart.clear").token }),
    },
    "inventory.set": {
      request: () => http("PUT", `/inventory/${products[0].id}`, { token: admin, body: { quantity: 100_000 } }),
    },
    "orders.checkout": {
      setup: () => cartPut(products[0].id, 1, shopper("orders.checkout").user),
      request: () =>
        http("POST", "/orders", {
          token: shopper("orders.checkout").token,
          body: { payment: card() },
          headers: { "idempotency-key": randomUUID() },
        }),
    },
    "orders.list": { request: () => http("GET", "/orders", { token: customer.token }) },
    // The order the checkout probe's shopper placed at the start.
    "orders.get": { request: () => http("GET", `/orders/${orderId}`, { token: shopper("orders.checkout").token }) },
    "notifications.list": { request: () => http("GET", "/notifications", { token: customer.token }) },
  };

  async function probe(route: RouteDecl, setup = true): Promise<{ res: JsonResponse; ms: number }> {
    const p = probes[route.action];
    if (!p) throw new Error(`no probe for ${route.method} ${route.path} (${route.action}): add one`);
    if (setup) await p.setup?.();
    const started = performance.now();
    const res = await p.request();
    return { res, ms: performance.now() - started };
  }

  const baseline = new Map<string, number>();

  beforeAll(async () => {
    [nats, mongo] = await Promise.all([startNats(), startMongo()]);
    env = {
      ...FAST_HEARTBEAT,
      NAMESPACE: namespace,
      MONGO_URI: mongo.uri,
      JWT_SECRET: "fault-isolation-secret-fault-isolation-secret",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      AUTH_RATE_LIMIT: "100000",
    };
    // Eight processes at once overrun two shared cores; three at a time start in time.
    gateway = await startAgoraNode({ services: ["api"], nodeID: "fi-gateway", transporter: nats.url, env });
    for (let i = 0; i < SERVICES.length; i += 3) {
      const batch = SERVICES.slice(i, i + 3);
      (await Promise.all(batch.map((name) => startService(name)))).forEach((node, j) => nodes.set(batch[j], node));
    }
    observer = await startObserver(nats.url, namespace);
    for (const name of SERVICES) await everyNodeSees(name, true);

    admin = await eventually(async () => {
      const res = await http("POST", "/auth/login", { body: ADMIN });
      return res.status === 200 && (res.body as AuthResult).token;
    }, 30_000);
    const email = `fi-customer-${randomUUID()}@example.com`;
    const reg = await http("POST", "/auth/register", { body: { email, password: "password-123", name: "Customer" } });
    expect(reg.status).toBe(201);
    const auth = reg.body as AuthResult;
    customer = {
      token: auth.token,
      email,
      password: "password-123",
      user: { id: auth.user.id, email, role: "customer" },
    };
    for (const action of ["cart.get", "cart.removeItem", "cart.clear", "orders.checkout"]) {
      const res = await http("POST", "/auth/register", {
        body: { email: `fi-${randomUUID()}@example.com`, password: "password-123", name: "Shopper" },
      });
      const { token, user } = res.body as AuthResult;
      shoppers.set(action, { token, user: { id: user.id, email: user.email, role: "customer" } });
    }
    products = ((await http("GET", "/products?pageSize=3")).body as Page<Product>).rows;
    expect(products).toHaveLength(3);
    for (const p of products) {
      expect((await http("PUT", `/inventory/${p.id}`, { token: admin, body: { quantity: 100_000 } })).status).toBe(200);
    }
    await probes["orders.checkout"].setup!();
    const first = await probes["orders.checkout"].request();
    expect(first.status).toBe(201);
    orderId = (first.body as Order).id;

    // The declaration as the cluster publishes it.
    routes = routesOf((await request(gateway.url, "GET", "/api/openapi.json")).body as Parameters<typeof routesOf>[0]);
    declared = clusterDependencies(observer.registry);
    for (const route of routes) {
      const { res } = await probe(route);
      baseline.set(route.action, res.status);
    }
  }, 180_000);

  afterAll(async () => {
    await observer?.stop();
    await stopAll();
  });

  it("the matrix covers every route, each answering 2xx with everything up", () => {
    expect(routes.map((r) => r.action).sort()).toEqual(Object.keys(probes).sort());
    for (const route of routes) expect([route.action, baseline.get(route.action)! < 300]).toEqual([route.action, true]);
  });

  it.each(SERVICES)(
    "%s killed: each route answers as declared; restarted: every route as before",
    async (name) => {
      // Every probe's data is in place before the service goes.
      for (const route of routes) await probes[route.action]?.setup?.();
      await nodes.get(name)!.kill();
      try {
        await killedMatrix(name);
      } finally {
        // Restarted even when the matrix failed, so the next service starts from a whole cluster.
        nodes.set(name, await startService(name));
        await everyNodeSees(name, true);
      }
      const recovered: string[] = [];
      for (const route of routes) recovered.push(`${route.action}: ${(await probe(route)).res.status}`);
      expect(recovered).toEqual(routes.map((r) => `${r.action}: ${baseline.get(r.action)}`));
    },
    120_000,
  );

  async function killedMatrix(name: string): Promise<void> {
    await everyNodeSees(name, false);
    const seen: string[] = [];
    const expected: string[] = [];
    const timings: string[] = [];
    for (const route of routes) {
      const kind = expectedAnswer(route, declared, name);
      const { res, ms } = await probe(route, false);
      const body = res.body as {
        type?: string;
        data?: { unavailable?: string[]; order?: Order };
        rows?: Product[];
      } & Product;
      let answer = `${res.status}`;
      if (res.status === 503) {
        answer += ` retry-after:${res.headers.get("retry-after") ? "yes" : "no"} unavailable:${body.data?.unavailable?.includes(name) ? name : JSON.stringify(body.data?.unavailable)}`;
        timings.push(`${route.action} ${ms.toFixed(0)} ms`);
      }
      if (kind === "unavailable") expected.push(`${route.action}: 503 retry-after:yes unavailable:${name}`);
      else expected.push(`${route.action}: ${baseline.get(route.action)}`);
      seen.push(`${route.action}: ${answer}`);
      if (kind === "degraded" && name === "inventory" && route.action.startsWith("catalog.")) {
        // Degraded truthfully: stock unknown, not 0.
        const items = body.rows ?? [body];
        expect(items.every((p) => p.available === null && typeof p.availableReason === "string")).toBe(true);
      }
      if (kind === "unavailable" && route.action === "orders.checkout" && body.data?.order) {
        expect(body.data.order.status).toBe("FAILED");
      }
    }
    expect(seen).toEqual(expected);
    console.log(`fault isolation: ${name} down, 503 answer times: ${timings.join(", ") || "none"}`);
  }

  it("a slow payments (every charge 5 s) does not slow or fail catalog reads", async () => {
    await nodes.get("payments")!.kill();
    await everyNodeSees("payments", false);
    nodes.set("payments", await startService("payments", { FAULTS: "payments.charge=delay:5000" }));
    await everyNodeSees("payments", true);

    // Checkouts keep several calls waiting on payments the whole time.
    let running = true;
    const checkouts: number[] = [];
    const buyer = async () => {
      while (running) {
        await probes["orders.checkout"].setup!().catch(() => undefined);
        checkouts.push((await probes["orders.checkout"].request()).status);
      }
    };
    const buyers = Array.from({ length: 4 }, buyer);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const reads: { status: number; ms: number }[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      const res = await http("GET", `/products?pageSize=5&page=${1 + (i % 3)}`);
      reads.push({ status: res.status, ms: performance.now() - started });
    }
    running = false;
    await Promise.all(buyers);
    const sorted = reads.map((r) => r.ms).sort((a, b) => a - b);
    const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
    console.log(
      `bulkhead: 200 catalog reads while payments answers in 5 s: p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms; ` +
        `${checkouts.length} checkouts finished meanwhile`,
    );
    expect(reads.filter((r) => r.status !== 200)).toEqual([]);
    expect(checkouts.length).toBeGreaterThan(0);
    expect(checkouts.filter((s) => s !== 201)).toEqual([]);

    await nodes.get("payments")!.kill();
    await everyNodeSees("payments", false);
    nodes.set("payments", await startService("payments"));
    await everyNodeSees("payments", true);
  }, 180_000);

  it("Done when (issue #13): payments stopped → browse and cart 200, checkout 503 + Retry-After in under a second, 25 times; back → 201; inventory stopped → available: null", async () => {
    await nodes.get("payments")!.stop();
    await everyNodeSees("payments", false);
    const answers: string[] = [];
    const slow: number[] = [];
    for (let i = 0; i < 25; i++) {
      const list = await http("GET", "/products");
      const put = await http("PUT", `/cart/items/${products[0].id}`, {
        token: shopper("orders.checkout").token,
        body: { quantity: 1 },
      });
      const started = performance.now();
      const order = await probes["orders.checkout"].request();
      const ms = performance.now() - started;
      const body = order.body as {
        message?: string;
        data?: { order?: Order; charged?: boolean; unavailable?: string[] };
      };
      answers.push(
        `${list.status} ${put.status} ${order.status} ${order.headers.get("retry-after") ? "retry-after" : "-"} ` +
          `${body.data?.order?.status} charged:${body.data?.charged} ${body.data?.unavailable}`,
      );
      // Issue #13's acceptance bound ("503 + Retry-After in under a second"): the one timing asserted here.
      if (ms >= 1000) slow.push(ms);
    }
    expect(answers).toEqual(Array.from({ length: 25 }, () => "200 200 503 retry-after FAILED charged:false payments"));
    expect(slow).toEqual([]);

    nodes.set("payments", await startService("payments"));
    await everyNodeSees("payments", true);
    await probes["orders.checkout"].setup!();
    const back = await probes["orders.checkout"].request();
    expect([back.status, (back.body as Order).status]).toEqual([201, "CONFIRMED"]);

    await nodes.get("inventory")!.stop();
    await everyNodeSees("inventory", false);
    const list = await http("GET", "/products");
    expect(list.status).toBe(200);
    const rows = (list.body as Page<Product>).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((p) => p.available !== null)).toEqual([]);
    nodes.set("inventory", await startService("inventory"));
    await everyNodeSees("inventory", true);
    expect((await http("GET", "/products")).body).toMatchObject({
      rows: expect.arrayContaining([expect.objectContaining({ available: expect.any(Number) })]),
    });
  }, 180_000);
});
