import fs from "node:fs";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import { call, type AuthResult, type Caller, type Order, type Page, type Product } from "../../contracts";
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
import { nodesSeenBy, sleep, startObserver } from "./cluster";
import { inFlightAt, startCheckoutLoad, type Exchange } from "./checkout-load";

/**
 * Failover (issue #21): two replicas of every service on one shared
 * MongoDB-wire store and a real nats-server, one gateway, shoppers checking
 * out continuously. One replica of each service in turn is killed (kill -9,
 * restarted a few seconds later), then one of each is hung (SIGSTOP, SIGCONT
 * later), then nats-server restarts. While a twin is up no purchase may be
 * lost: every request answered as wanted (no 5xx, no transport error, no 409
 * for a registration retried elsewhere), no order FAILED; and the invariants hold
 * (every order final, charged exactly when confirmed, stock adds up, one
 * notification per order). A node is dropped for missed heartbeats only after
 * 30 s (HEARTBEAT_TIMEOUT), longer than any fault lasts, so no failover here
 * comes from missed heartbeats.
 * Prints, per fault, the requests in flight at it and how they ended.
 */
const SERVICES = ["catalog", "inventory", "users", "cart", "orders", "payments", "notifications"];
const ADMIN = { email: "failover-admin@example.com", password: "failover-admin-password" };
const ADMIN_CALLER: Caller = { id: "ffffffffffffffffffffffff", email: ADMIN.email, role: "admin" };
const STOCK = 1_000_000;
const SHOPPERS = 6;

describe("failover: calls to a dead or hung replica are answered by its twin", () => {
  const namespace = `failover${process.pid}`;
  let nats: NatsServer;
  let mongo: MongoServer;
  let gateway: AgoraNode;
  const replicas = new Map<string, AgoraNode[]>();
  /** Replicas killed and replaced (their output is kept for FAILOVER_LOG_DIR). */
  const retired: AgoraNode[] = [];
  let observer: ServiceBroker;
  let env: NodeJS.ProcessEnv;
  let product: Product;

  const http = <T = unknown>(method: string, p: string, opts: RequestOptions = {}) =>
    request<T>(gateway.url, method, `/api/v1${p}`, opts);
  const startReplica = (service: string, n: number) =>
    startAgoraNode({ services: [service], nodeID: `fo-${service}-${n}`, transporter: nats.url, env });

  beforeAll(async () => {
    [nats, mongo] = await Promise.all([startNats(), startMongo()]);
    env = {
      NAMESPACE: namespace,
      MONGO_URI: mongo.uri,
      JWT_SECRET: "failover-test-secret-failover-test-secret",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // Heartbeats every second (the observer drops a node after 4 s without one), but a node
      // is dropped for missed heartbeats only after 30 s: longer than any fault here lasts.
      HEARTBEAT_INTERVAL: "1",
      HEARTBEAT_TIMEOUT: "30",
      // No health or Prometheus listener: fifteen nodes restarted in turn on a machine shared with
      // other tests would each take two more free ports, and one taken meanwhile fails a restart.
      HEALTH_PORT: "0",
      METRICS_PORT: "0",
      ...(process.env.FAILOVER_EXTRA_ENV ? JSON.parse(process.env.FAILOVER_EXTRA_ENV) : {}),
    };
    gateway = await startAgoraNode({ services: ["api"], nodeID: "fo-gateway", transporter: nats.url, env });
    for (const service of SERVICES) {
      replicas.set(service, await Promise.all([startReplica(service, 1), startReplica(service, 2)]));
    }
    observer = await startObserver(nats.url, namespace);
    // Ready when the gateway sees every replica.
    await eventually(async () => {
      const seen = new Set((await nodesSeenBy(observer, gateway.nodeID)).filter((n) => n.available).map((n) => n.id));
      return SERVICES.every((s) => seen.has(`fo-${s}-1`) && seen.has(`fo-${s}-2`));
    }, 60_000);
    const admin = await eventually(async () => {
      const res = await http<AuthResult>("POST", "/auth/login", { body: ADMIN });
      return res.status === 200 && res.body.token;
    }, 30_000);
    product = (await http<Page<Product>>("GET", "/products?pageSize=1")).body.rows[0];
    const set = await http("PUT", `/inventory/${product.id}`, { token: admin, body: { quantity: STOCK } });
    expect(set.status).toBe(200);
  }, 300_000);

  afterAll(async () => {
    // FAILOVER_LOG_DIR=<dir>: every node's output kept there, to read what a failed run did.
    const dir = process.env.FAILOVER_LOG_DIR;
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      for (const node of [gateway, ...[...replicas.values()].flat(), ...retired]) {
        if (node) fs.writeFileSync(path.join(dir, `${node.nodeID}-${node.child.pid}.log`), node.output());
      }
    }
    await observer?.stop();
    await stopAll();
  });

  /** Every node of the cluster sees `nodeID` available again. */
  async function rejoined(nodeID: string): Promise<void> {
    const live = [gateway, ...[...replicas.values()].flat()].filter((n) => n.nodeID !== nodeID);
    await eventually(async () => {
      for (const node of live) {
        const seen = await nodesSeenBy(observer, node.nodeID);
        if (!seen.some((n) => n.id === nodeID && n.available)) return false;
      }
      return true;
    }, 60_000);
  }

  it("kill -9, SIGSTOP and a nats-server restart under checkout load lose no purchase", async () => {
    const before = await call(observer, "inventory.get", { productId: product.id });
    const load = startCheckoutLoad(gateway.url, product.id, SHOPPERS);
    const faults: { name: string; at: number }[] = [];
    const fault = (name: string) => faults.push({ name, at: Date.now() });
    try {
      await eventually(() => load.purchases.length >= SHOPPERS, 60_000, 100);

      for (const [service, nodes] of replicas) {
        fault(`kill -9 ${nodes[0].nodeID}`);
        await nodes[0].kill();
        retired.push(nodes[0]);
        await sleep(3000);
        nodes[0] = await startReplica(service, 1);
        await rejoined(nodes[0].nodeID);
        await sleep(1000);
      }
      for (const nodes of replicas.values()) {
        const pid = nodes[1].child.pid!;
        fault(`SIGSTOP ${nodes[1].nodeID}`);
        process.kill(pid, "SIGSTOP");
        await sleep(4000);
        process.kill(pid, "SIGCONT");
        await rejoined(nodes[1].nodeID);
        await sleep(1000);
      }
      fault("nats-server restart");
      await nats.stop();
      nats = await startNats([], nats.port);
      await sleep(5000);
    } finally {
      await load.stop();
    }

    for (const { name, at } of faults) {
      const { count, endings, slowestAfterMs } = inFlightAt(load.exchanges, at);
      console.log(
        `${name}: ${count} request(s) in flight, ended ${JSON.stringify(endings)}, slowest ${slowestAfterMs} ms after`,
      );
    }
    // For scale: how long requests took over the whole run, faults or not (a loaded two-core machine is slow).
    const took = load.exchanges
      .filter((e) => e.end !== undefined)
      .map((e) => e.end! - e.start)
      .sort((a, b) => a - b);
    const pct = (p: number) => took[Math.min(took.length - 1, Math.floor((took.length * p) / 100))];
    console.log(`all requests: p50 ${pct(50)} ms, p99 ${pct(99)} ms, slowest ${took[took.length - 1]} ms`);
    // Every answer a shopper got is the one it wanted (no 5xx, no transport error, and no 409 for a
    // registration retried after its node died).
    const failed = (e: Exchange) => e.status === 0 || (e.status ?? 0) >= 300;
    const since = (at: number) => {
      const last = faults.filter((f) => f.at <= at).pop();
      return last ? `${at - last.at} ms after ${last.name}` : "before any fault";
    };
    const failures = load.exchanges
      .filter(failed)
      .map((e) => `${e.what} ${e.status} (sent ${since(e.start)}, answered ${since(e.end!)}) ${e.body}`);
    const checkouts = load.purchases;
    console.log(
      `${load.exchanges.length} requests, ${checkouts.length} checkouts, ${failures.length} failed:\n${failures.slice(0, 20).join("\n")}`,
    );
    expect(failures).toEqual([]);
    expect(checkouts.filter((p) => p.status !== 201 || p.order?.status !== "CONFIRMED")).toEqual([]);

    // Invariants, once the follow-ups have run: every order final, charged exactly when confirmed,
    // stock adds up, one notification per order.
    const orders = await eventually(async () => {
      const all: Order[] = [];
      for (let page = 1; ; page++) {
        const res = await call(observer, "orders.listAll", { page, pageSize: 100 }, { meta: { user: ADMIN_CALLER } });
        all.push(...res.rows);
        if (page >= res.totalPages) break;
      }
      return all.every((o) => o.status !== "PENDING") && all;
    }, 60_000);
    expect(orders.length).toBe(checkouts.length);
    expect(orders.filter((o) => o.status !== "CONFIRMED")).toEqual([]);
    for (const order of orders) {
      const payment = await call(observer, "payments.get", { orderId: order.id });
      expect(`${order.id} ${payment?.status}`).toBe(`${order.id} CHARGED`);
    }
    let level = before;
    await eventually(async () => {
      level = await call(observer, "inventory.get", { productId: product.id });
      return level.reserved === 0 && level.committed - before.committed === orders.length;
    }, 60_000).catch(() => undefined);
    // Stock adds up: every confirmed order's unit sold, none left reserved.
    expect({ reserved: level.reserved, sold: level.committed - before.committed }).toEqual({
      reserved: 0,
      sold: orders.length,
    });
    expect(before.available - level.available).toBe(orders.length);
    await eventually(async () => {
      for (const order of orders) {
        const user: Caller = { id: order.userId, email: "x@example.com", role: "customer" };
        const notes = await call(observer, "notifications.list", {}, { meta: { user } });
        if (notes.filter((n) => n.orderId === order.id).length !== 1) return false;
      }
      return true;
    }, 60_000);
  }, 600_000);
});
