import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ServiceBroker } from "moleculer";
import { demoProductId } from "../../services/catalog/demo-products";
import { get, request } from "../helpers/http";
import { testNatsPasswords } from "../helpers/nats-roles";
import {
  eventually,
  startAgoraNode,
  startNats,
  startProcess,
  stopAll,
  type AgoraNode,
  type NatsServer,
} from "../helpers/processes";
import { startJaegerReceiver, type JaegerReceiver, type ReceivedSpan } from "../helpers/jaeger-receiver";
import { FAST_HEARTBEAT, servicesSeenBy, sleep } from "./cluster";
import { metricValue, startGoNode, type GoNode } from "./go-nodes";

/**
 * Polyglot: two Go recommendations nodes (services/recommendations, Moleculer
 * protocol v5 over NATS) join a cluster of Node nodes over a real nats-server
 * that requires a user and password (docker/nats.conf). Every process is
 * real; the tests run in order: discovery → balancing → tracing → learning
 * from confirmed orders → kill -9 under load → no Go node at all.
 */
type Product = { id: string; name: string; category: string };
type Rows = { rows: Product[] };
const ACTION = "recommendations.forProduct";
const MUG = demoProductId("MUG-001");
const KETTLE = demoProductId("KET-001");
const GRINDER = demoProductId("GRN-001");
const SKILLET = demoProductId("PAN-001");
const KNIFE = demoProductId("KNF-001");
const userPass = (c: { NATS_USER: string; NATS_PASSWORD: string }) => ({ user: c.NATS_USER, pass: c.NATS_PASSWORD });
// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

describe("a Go node in the cluster (recommendations)", () => {
  // docker/nats.conf opens only the agora namespace's subjects, to one NATS user per node role.
  const namespace = "agora";
  const serverPasswords = testNatsPasswords();
  const credentials = { NATS_USER: "api", NATS_PASSWORD: "api-pw" };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-recommendations-"));
  let nats: NatsServer;
  let receiver: JaegerReceiver;
  let observer: ServiceBroker | undefined;
  let gateway: AgoraNode;
  let shop: AgoraNode;
  let goNodes: GoNode[];
  let env: NodeJS.ProcessEnv;

  const recommendations = (id: string, headers: Record<string, string> = {}) =>
    get<Rows>(gateway.url, `/api/v1/products/${id}/recommendations`, { headers });
  const requestsOn = (node: GoNode) => metricValue(node.metricsUrl, "moleculer_request_total", { action: ACTION });

  beforeAll(async () => {
    [nats, receiver] = await Promise.all([
      startNats(["-c", "docker/nats.conf"], undefined, serverPasswords),
      startJaegerReceiver(),
    ]);
    env = {
      ...FAST_HEARTBEAT,
      ...credentials,
      NAMESPACE: namespace,
      JWT_SECRET: "polyglot-test-secret-polyglot-test-secret",
      INVENTORY_INITIAL_STOCK: "1000",
      JAEGER_ENDPOINT: receiver.endpoint,
      TRACING_SAMPLE_RATE: "1",
      LOGLEVEL: "warn,BROKER=info",
    };
    const goEnv = { ...env, DATA_DIR: dataDir, LOGLEVEL: "info" };
    const started = await Promise.all([
      startAgoraNode({ services: ["api"], nodeID: "poly-gateway", transporter: nats.url, env }),
      startAgoraNode({
        services: ["catalog", "inventory", "users", "cart", "orders", "payments", "notifications"],
        nodeID: "poly-shop",
        transporter: nats.url,
        env,
      }),
      startGoNode("go-rec-1", nats.url, goEnv),
      startGoNode("go-rec-2", nats.url, goEnv),
    ]);
    [gateway, shop] = started as AgoraNode[];
    goNodes = started.slice(2) as GoNode[];
    // A service-less broker that looks at the cluster (NATS wants the credentials too).
    observer = new ServiceBroker({
      namespace,
      nodeID: `poly-observer-${process.pid}`,
      transporter: { type: "NATS", options: { servers: [`127.0.0.1:${nats.port}`], ...userPass(credentials) } },
      logger: false,
      heartbeatInterval: 1,
      heartbeatTimeout: 4,
      requestTimeout: 5000,
    });
    await observer.start();
    await eventually(async () => {
      const services = await servicesSeenBy(observer!, gateway.nodeID);
      return services.get("recommendations")?.length === 2 && services.has("catalog");
    }, 30_000);
  }, 120_000);

  afterAll(async () => {
    await observer?.stop();
    await stopAll();
    await receiver?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("the REPL's `nodes` lists both Go nodes with client type go", async () => {
    const repl = startProcess(
      process.execPath,
      ["--import", "tsx", "scripts/repl.ts"],
      { ...env, TRANSPORTER: nats.url, NODE_ID: "poly-console", NODE_ENV: "production", JEST_WORKER_ID: "" },
      undefined,
      { stdin: true },
    );
    await repl.waitFor(/mol \$ /, 60_000);
    const lines = await eventually(async () => {
      const start = repl.output().length;
      repl.input("nodes\n");
      await sleep(1000);
      const printed = plain(repl.output().slice(start)).split("\n");
      const goLines = printed.filter((l) => /go-rec-[12]/.test(l));
      return goLines.length === 2 && goLines;
    }, 30_000);
    for (const line of lines) expect(line).toMatch(/[│|]\s*go\s*[│|]/);
    await repl.stop();
  }, 90_000);

  it("both Go nodes are ready: NATS (with credentials), the store and the catalog", async () => {
    for (const node of goNodes) {
      const res = await get<{ status: string; failing: string[] }>(node.healthUrl, "/readyz");
      expect(res.status).toBe(200);
      expect(res.body.failing).toEqual([]);
      expect((await get(node.healthUrl, "/healthz")).status).toBe(200);
    }
  });

  it("the route answers from both Go nodes: each serves at least 20% of 200 calls", async () => {
    const before = await Promise.all(goNodes.map(requestsOn));
    for (let i = 0; i < 200; i++) {
      const res = await recommendations(i % 2 ? MUG : SKILLET);
      expect(res.status).toBe(200);
      // Nothing learned yet: other kitchen products, resolved through the catalog.
      expect(res.body.rows.length).toBeGreaterThan(0);
      expect(res.body.rows.every((p) => p.category === "kitchen" && p.name)).toBe(true);
    }
    const served = (await Promise.all(goNodes.map(requestsOn))).map((n, i) => n - before[i]);
    expect(served[0] + served[1]).toBeGreaterThanOrEqual(200);
    for (const n of served) expect(n).toBeGreaterThanOrEqual(40);
  });

  it("bad input is a 422 in Moleculer's error shape, an unknown product a 404", async () => {
    const bad = await get<{ name: string; code: number; data: { field: string }[] }>(
      gateway.url,
      `/api/v1/products/${MUG}/recommendations?limit=9`,
    );
    expect(bad.status).toBe(422);
    expect(bad.body.name).toBe("ValidationError");
    expect(bad.body.data.map((d) => d.field)).toContain("limit");
    expect(bad.text).not.toMatch(/ at .*\.(js|ts|go):\d+/);
    expect((await recommendations("0123456789abcdef01234567")).status).toBe(404);
    // The Go node validates for itself too (a caller that skips the catalog).
    for (const node of goNodes) {
      const err = await observer!
        .call(ACTION, { productId: "nope", limit: 99 }, { nodeID: node.nodeID })
        .catch((e) => e);
      expect(err).toMatchObject({ name: "ValidationError", code: 422, type: "VALIDATION_ERROR" });
      expect((err as { data: { field: string }[] }).data.map((d) => d.field).sort()).toEqual(["limit", "productId"]);
    }
  });

  it("one trace spans gateway → Go node → catalog, with correct parents", async () => {
    const res = await recommendations(KNIFE, { "X-Request-Id": "polyglot-trace-1" });
    expect(res.status).toBe(200);
    const traceId = res.headers.get("x-trace-id")!;
    let last = -1;
    const spans = await eventually(
      () => {
        const spans = receiver.spans.filter((s) => s.traceId === traceId);
        const settled = spans.some((s) => s.operationName === "action 'catalog.list'") && spans.length === last;
        last = spans.length;
        return settled && spans;
      },
      30_000,
      1500,
    );
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const roots = spans.filter((s) => /^0+$/.test(s.parentSpanId));
    expect(roots).toHaveLength(1);
    expect(roots[0].nodeID).toBe("poly-gateway");
    const goSpan = spans.find((s) => s.operationName === `action '${ACTION}'`)!;
    expect(goSpan).toBeDefined();
    expect(["go-rec-1", "go-rec-2"]).toContain(goSpan.nodeID);
    expect(goSpan.serviceName).toBe("recommendations");
    // Nothing learned about the knife: the Go node asks the catalog, as a child of its own span.
    for (const name of ["action 'catalog.get'", "action 'catalog.list'"]) {
      const child = spans.find((s: ReceivedSpan) => s.operationName === name && s.nodeID === "poly-shop")!;
      expect(child).toBeDefined();
      expect(byId.get(child.parentSpanId)).toBe(goSpan);
    }
    let ancestor = byId.get(goSpan.parentSpanId);
    while (ancestor && ancestor !== roots[0]) ancestor = byId.get(ancestor.parentSpanId);
    expect(ancestor).toBe(roots[0]);
    // Every span has its parent in the trace: nothing dangles.
    for (const span of spans) if (span !== roots[0]) expect(byId.get(span.parentSpanId)).toBeDefined();
  });

  it("learns from confirmed orders, each counted once across both Go nodes", async () => {
    const baskets = [
      [MUG, KETTLE],
      [MUG, GRINDER],
      [MUG, GRINDER, KETTLE],
      [GRINDER, SKILLET],
      [MUG, GRINDER],
    ];
    for (const basket of baskets) {
      const email = `poly-${randomUUID()}@example.com`;
      const reg = await request<{ token: string }>(gateway.url, "POST", "/api/v1/auth/register", {
        body: { email, password: "polyglot password", name: "Poly Glot" },
      });
      expect(reg.status).toBe(201);
      const token = reg.body.token;
      for (const id of basket) {
        const put = await request(gateway.url, "PUT", `/api/v1/cart/items/${id}`, { token, body: { quantity: 1 } });
        expect(put.status).toBe(200);
      }
      const order = await request<{ status: string }>(gateway.url, "POST", "/api/v1/orders", {
        token,
        headers: { "Idempotency-Key": randomUUID() },
        body: { payment: { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" } },
      });
      expect(order.status).toBe(201);
      expect(order.body.status).toBe("CONFIRMED");
    }
    // Each order.confirmed reached one Go node (group "recommendations"), which recorded it once ...
    await eventually(async () => {
      const recorded = await Promise.all(
        goNodes.map((n) => metricValue(n.metricsUrl, "agora_recommendations_orders_recorded_total")),
      );
      return recorded[0] + recorded[1] === baskets.length;
    }, 30_000);
    await sleep(1500); // a duplicate would show up by now
    const recorded = await Promise.all(
      goNodes.map((n) => metricValue(n.metricsUrl, "agora_recommendations_orders_recorded_total")),
    );
    expect(recorded[0] + recorded[1]).toBe(baskets.length);
    const lines = fs.readFileSync(path.join(dataDir, "recommendations.jsonl"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(baskets.length);

    // ... and both nodes answer from all of them: grinder (3 orders with the mug), then kettle (2).
    for (const node of goNodes) {
      const answer = await observer!.call<{ productIds: string[]; basis: string; nodeID: string }, object>(
        ACTION,
        { productId: MUG },
        { nodeID: node.nodeID },
      );
      expect(answer).toEqual({ productId: MUG, productIds: [GRINDER, KETTLE], basis: "orders", nodeID: node.nodeID });
      expect(await metricValue(node.metricsUrl, "agora_recommendations_orders_known")).toBe(baskets.length);
    }
    const res = await recommendations(MUG);
    expect(res.status).toBe(200);
    expect(res.body.rows.map((p) => p.id)).toEqual([GRINDER, KETTLE]);
    const limited = await get<Rows>(gateway.url, `/api/v1/products/${MUG}/recommendations?limit=1`);
    expect(limited.body.rows.map((p) => p.id)).toEqual([GRINDER]);
  });

  it("kill -9 of one Go node under load: zero failed requests", async () => {
    const [survivor, victim] = goNodes;
    let running = true;
    const results = { ok: 0, failures: [] as string[] };
    const worker = async () => {
      while (running) {
        const res = await recommendations(MUG).catch((err: Error) => ({
          status: 0,
          body: undefined,
          text: err.message,
        }));
        // A failure is any error status, or an answer without the Go node's recommendations.
        if (res.status === 200 && res.body?.rows.length === 2) results.ok++;
        else results.failures.push(`${res.status} ${res.text.slice(0, 200)}`);
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    await eventually(() => results.ok >= 30, 30_000, 20);
    const victimBefore = await requestsOn(victim);
    expect(victimBefore).toBeGreaterThan(0);
    await victim.kill();
    // Until the gateway drops the dead node, calls sent to it time out and go to the survivor.
    await eventually(async () => {
      const services = await servicesSeenBy(observer!, gateway.nodeID);
      return services.get("recommendations")?.join() === survivor.nodeID;
    }, 30_000);
    const afterDrop = results.ok;
    await eventually(() => results.ok >= afterDrop + 30, 30_000, 20);
    running = false;
    await Promise.all(workers);
    expect(results.failures).toEqual([]);
    expect(results.ok).toBeGreaterThan(60);
    // Calls did reach the dead node before it was dropped, and were answered by the survivor.
    expect(shop.output()).toMatch(/recommendations\.forProduct failed on go-rec-2 .*trying another node/);
  }, 90_000);

  it("with no Go node left the route answers rows: [] and product pages still work", async () => {
    const [survivor] = goNodes;
    expect(await survivor.stop("SIGTERM")).toBe(0);
    expect(survivor.output()).toMatch(/ServiceBroker is stopped/);
    // A graceful stop sends DISCONNECT: the gateway forgets the node at once.
    await eventually(async () => !(await servicesSeenBy(observer!, gateway.nodeID)).has("recommendations"), 10_000);
    const res = await recommendations(MUG);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ rows: [] });
    const page = await get<Product>(gateway.url, `/api/v1/products/${MUG}`);
    expect(page.status).toBe(200);
    expect(page.body.id).toBe(MUG);
    expect((await get(gateway.url, "/api/v1/products?pageSize=2")).status).toBe(200);
  });
});
