import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import { call, type AuthResult, type Caller, type Order, type Page, type Product } from "../../contracts";
import { request, type JsonResponse } from "../helpers/http";
import { eventually, startAgoraNode, startNats, stopAll, type AgoraNode, type NatsServer } from "../helpers/processes";
import { FAST_HEARTBEAT, requestCount, servicesSeenBy, startObserver } from "./cluster";

/**
 * The circuit breaker (moleculer.config.ts, docs/fault-isolation.md) over a
 * real nats-server, with real failures and no restart: payments fails every
 * charge (FAULTS_FILE, switched on and off in the running node) until the
 * orders node's breaker for payments.charge on that payments node opens;
 * while it is open a checkout answers the explanatory 503 without calling
 * payments; when payments is healthy again the breaker closes on its own and
 * a checkout is CONFIRMED. Then: replaying an idempotency key whose stored
 * answer is a 503 does not count against the gateway's breaker for
 * orders.checkout, where as many real failures do open it.
 *
 * The breaker's state is read where an operator reads it: each node's
 * Prometheus /metrics (moleculer_circuit_breaker_*).
 */
const ADMIN = { email: "breaker-admin@example.com", password: "breaker-admin-password" };
/** The breaker judges an endpoint after this many calls in its window (CIRCUIT_BREAKER_MIN_REQUESTS; default 20). */
const MIN_REQUESTS = 12;
const card = () => ({
  cardNumber: "4242424242424242",
  expMonth: 12,
  expYear: new Date().getUTCFullYear() + 2,
  cvc: "123",
});

interface CheckoutBody {
  type?: string;
  message?: string;
  data?: { order?: Order; orderId?: string; charged?: boolean; unavailable?: string[] };
}

describe("circuit breaker: opens on real failures, answers 503 while open, closes on its own", () => {
  const namespace = `breaker${process.pid}`;
  const faultDir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-breaker-"));
  const paymentsFaults = path.join(faultDir, "payments.faults");
  const ordersFaults = path.join(faultDir, "orders.faults");
  let nats: NatsServer;
  let observer: ServiceBroker;
  let gateway: AgoraNode;
  let orders: AgoraNode;
  let payments: AgoraNode;
  let core: AgoraNode;
  let shopper: { token: string; user: Caller };
  let products: Product[];
  /** Keys whose stored answer is a 503 (payments failing). */
  const failedKeys: string[] = [];

  const scrape = async (node: AgoraNode) => (await request(node.metricsUrl, "GET", "/metrics")).text;
  /** A breaker metric of `node` for `action` on the node `affected` (0 when the series does not exist yet). */
  async function breaker(node: AgoraNode, metric: string, action: string, affected: AgoraNode): Promise<number> {
    const labels = [`affectedNodeID="${affected.nodeID}"`, `action="${action}"`];
    const line = (await scrape(node))
      .split("\n")
      .find((l) => l.startsWith(`moleculer_circuit_breaker_${metric}{`) && labels.every((x) => l.includes(x)));
    return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
  }
  const chargesRun = () => requestCount(observer, payments.nodeID, "payments.charge");

  async function checkout(key: string = randomUUID()): Promise<JsonResponse<CheckoutBody & Order>> {
    await call(observer, "cart.setItem", { productId: products[0].id, quantity: 1 }, { meta: { user: shopper.user } });
    return request(gateway.url, "POST", "/api/v1/orders", {
      token: shopper.token,
      body: { payment: card() },
      headers: { "idempotency-key": key },
    });
  }

  /** Status, Retry-After and what the 503's body says, on one line. */
  function summary(res: JsonResponse<CheckoutBody & Order>): string {
    if (res.status !== 503) return `${res.status}`;
    const { type, message, data } = res.body;
    return (
      `503 retry-after:${res.headers.get("retry-after")} ${type} "${message}" ` +
      `order:${data?.order?.status} same-id:${data?.orderId === data?.order?.id} charged:${data?.charged} ` +
      `unavailable:${data?.unavailable}`
    );
  }
  const PAYMENTS_503 =
    '503 retry-after:5 SERVICE_UNAVAILABLE "Payments is unavailable; nothing was charged. Please try again." ' +
    "order:FAILED same-id:true charged:false unavailable:payments";

  const everyProcessIsTheFirst = () =>
    [gateway, core, orders, payments].map((n) => `${n.nodeID}:${n.child.exitCode ?? n.child.signalCode ?? "running"}`);

  beforeAll(async () => {
    nats = await startNats();
    const env = {
      ...FAST_HEARTBEAT,
      NAMESPACE: namespace,
      JWT_SECRET: "circuit-breaker-secret-circuit-breaker-secret",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      AUTH_RATE_LIMIT: "100000",
      CIRCUIT_BREAKER_MIN_REQUESTS: String(MIN_REQUESTS),
      // Two breakers count the same calls: the caller's, and the one the node running the action keeps for
      // its own endpoint, which refuses every caller once open ("not available", which callers do not count).
      // A window reset (each node on its own clock) between them would let the second open first and the
      // caller's never; with no reset during the test both open on the same call.
      CIRCUIT_BREAKER_WINDOW: "3600",
    };
    const start = (services: string[], nodeID: string, extra: NodeJS.ProcessEnv = {}) =>
      startAgoraNode({ services, nodeID, transporter: nats.url, env: { ...env, ...extra } });
    [gateway, core] = await Promise.all([
      start(["api"], "cb-gateway"),
      start(["users", "catalog", "cart", "inventory"], "cb-core"),
    ]);
    [orders, payments] = await Promise.all([
      start(["orders"], "cb-orders", { FAULTS_FILE: ordersFaults }),
      start(["payments"], "cb-payments", { FAULTS_FILE: paymentsFaults }),
    ]);
    observer = await startObserver(nats.url, namespace);
    await eventually(async () => {
      for (const node of [gateway, orders]) {
        const seen = await servicesSeenBy(observer, node.nodeID);
        if (!["users", "catalog", "cart", "inventory", "orders", "payments"].every((s) => seen.has(s))) return false;
      }
      return true;
    }, 30_000);

    const admin = await eventually(async () => {
      const res = await request(gateway.url, "POST", "/api/v1/auth/login", { body: ADMIN });
      return res.status === 200 && (res.body as AuthResult).token;
    }, 30_000);
    const reg = await request(gateway.url, "POST", "/api/v1/auth/register", {
      body: { email: `cb-${randomUUID()}@example.com`, password: "password-123", name: "Shopper" },
    });
    expect(reg.status).toBe(201);
    const { token, user } = reg.body as AuthResult;
    shopper = { token, user: { id: user.id, email: user.email, role: "customer" } };
    products = ((await request(gateway.url, "GET", "/api/v1/products?pageSize=1")).body as Page<Product>).rows;
    expect(products).toHaveLength(1);
    const stock = await request(gateway.url, "PUT", `/api/v1/inventory/${products[0].id}`, {
      token: admin,
      body: { quantity: 100_000 },
    });
    expect(stock.status).toBe(200);
    expect((await checkout()).status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await observer?.stop();
    await stopAll();
    fs.rmSync(faultDir, { recursive: true, force: true });
  });

  it("payments failing: the orders node's breaker for payments.charge opens; while open, checkouts answer 503 with Retry-After and say why, without calling payments", async () => {
    expect(await breaker(orders, "opened_total", "payments.charge", payments)).toBe(0);
    fs.writeFileSync(paymentsFaults, "payments.charge=error\n");

    // Every checkout tries the charge (three attempts) and fails, explained, until the breaker opens.
    const whileFailing: string[] = [];
    await eventually(
      async () => {
        const key = randomUUID();
        const res = await checkout(key);
        whileFailing.push(summary(res));
        if (res.status === 503) failedKeys.push(key);
        return (await breaker(orders, "opened_total", "payments.charge", payments)) >= 1;
      },
      120_000,
      0,
    );
    const charges = await chargesRun();
    const opened = await breaker(orders, "opened_total", "payments.charge", payments);
    console.log(`breaker: opened after ${whileFailing.length} failing checkouts (${charges} charges ran)`);
    expect(whileFailing).toEqual(whileFailing.map(() => PAYMENTS_503));
    // The setting took effect: it opened on the MIN_REQUESTS-th charge (the first, in beforeAll, succeeded),
    // plus one charge per half-open probe that failed and reopened it, if the machine was slow.
    expect(charges - (opened - 1)).toBe(MIN_REQUESTS);

    // Open: the same explanatory 503, never 404, and payments is not called, so nothing waits for a timeout.
    // A half-open probe in between (its timer may fire on a slow machine) is one charge that fails and reopens it.
    const chargesBefore = await chargesRun();
    const openedBefore = await breaker(orders, "opened_total", "payments.charge", payments);
    const whileOpen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const key = randomUUID();
      const res = await checkout(key);
      whileOpen.push(summary(res));
      if (res.status === 503) failedKeys.push(key);
    }
    const reopened = (await breaker(orders, "opened_total", "payments.charge", payments)) - openedBefore;
    expect(whileOpen).toEqual(whileOpen.map(() => PAYMENTS_503));
    expect((await chargesRun()) - chargesBefore).toBe(reopened);
    console.log(`breaker: 10 checkouts while open, ${reopened} half-open probe(s) reached payments`);
  }, 180_000);

  it("payments healthy again: the breaker closes on its own and a checkout is CONFIRMED, no process restarted", async () => {
    const processes = everyProcessIsTheFirst();
    fs.writeFileSync(paymentsFaults, "");

    // Until the half-open probe (halfOpenTime after opening) a checkout still answers the 503, never a 404.
    const answers: string[] = [];
    const confirmed = await eventually(
      async () => {
        const res = await checkout();
        answers.push(summary(res));
        return res.status === 201 && res.body;
      },
      90_000,
      500,
    );
    expect(confirmed.status).toBe("CONFIRMED");
    expect(answers.slice(0, -1)).toEqual(answers.slice(0, -1).map(() => PAYMENTS_503));
    console.log(`breaker: closed after ${answers.length - 1} more 503s`);

    expect(await breaker(orders, "opened_total", "payments.charge", payments)).toBeGreaterThanOrEqual(1);
    expect(await breaker(orders, "opened_active", "payments.charge", payments)).toBe(0);
    expect(await breaker(orders, "half_opened_active", "payments.charge", payments)).toBe(0);
    const again = await checkout();
    expect([again.status, (again.body as Order).status]).toEqual([201, "CONFIRMED"]);
    expect(everyProcessIsTheFirst()).toEqual(processes);
    expect(processes.every((p) => p.endsWith(":running"))).toBe(true);
  }, 180_000);

  it("replaying a key whose stored answer is a 503 is not a failure of orders.checkout; as many real failures open its breaker", async () => {
    expect(failedKeys.length).toBeGreaterThan(0);
    const key = failedKeys[0];
    const stored = await checkout(key);
    expect(summary(stored)).toBe(PAYMENTS_503);

    // Replays enough to open the breaker if they counted, even with the breaker's window (60 s) reset among them.
    const replays: string[] = [];
    for (let i = 0; i < 2 * MIN_REQUESTS + 5; i++) {
      const res = await checkout(key);
      replays.push(`${summary(res)} ${res.body.data?.orderId}`);
    }
    expect(replays).toEqual(replays.map(() => `${PAYMENTS_503} ${stored.body.data?.orderId}`));
    expect(await breaker(gateway, "opened_total", "orders.checkout", orders)).toBe(0);
    expect(await breaker(orders, "opened_total", "orders.checkout", orders)).toBe(0);
    expect((await checkout()).status).toBe(201);

    // The control: real failures of orders.checkout (500s) open the gateway's breaker within as many calls,
    // after which the gateway answers 503 "orders unavailable" without calling orders.
    fs.writeFileSync(ordersFaults, "orders.checkout=error\n");
    const failing: string[] = [];
    await eventually(
      async () => {
        const res = await checkout();
        failing.push(`${res.status}`);
        return (await breaker(gateway, "opened_total", "orders.checkout", orders)) >= 1;
      },
      120_000,
      0,
    );
    expect(failing).toEqual(failing.map(() => "500"));
    expect(failing.length).toBeLessThanOrEqual(2 * MIN_REQUESTS + 5);
    // As above, a half-open probe in between is one call that fails (a 500) and reopens it.
    const whileOpen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await checkout();
      whileOpen.push(`${res.status} retry-after:${res.headers.get("retry-after")} ${res.body.data?.unavailable}`);
    }
    const reopened = (await breaker(gateway, "opened_total", "orders.checkout", orders)) - 1;
    expect(whileOpen.filter((a) => a !== "503 retry-after:5 orders")).toEqual(
      Array.from({ length: reopened }, () => "500 retry-after:null undefined"),
    );
    console.log(`breaker: gateway's orders.checkout breaker opened after ${failing.length} real failures`);

    // And it closes on its own once orders answers again.
    fs.writeFileSync(ordersFaults, "");
    const back = await eventually(
      async () => {
        const res = await checkout();
        return res.status === 201 && res.body;
      },
      90_000,
      500,
    );
    expect(back.status).toBe("CONFIRMED");
    expect(await breaker(gateway, "opened_active", "orders.checkout", orders)).toBe(0);
  }, 240_000);
});
