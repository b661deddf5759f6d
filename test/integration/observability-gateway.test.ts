import { ServiceBroker } from "moleculer";
import { get, request } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";
import { readiness } from "../../platform/observability/health";
import type { ClusterStatus } from "../../platform/observability/status/cluster-status";

/** The gateway's probes, request ids and status data, over real HTTP, in one process. */
describe("gateway observability endpoints", () => {
  let node: TestNode;

  beforeAll(async () => {
    node = await startNode(["api", "catalog"]);
  });
  afterAll(() => node.stop());

  it("answers /healthz and /readyz with 200 and named checks", async () => {
    const live = await get<{ status: string; nodeID: string }>(node.url, "/healthz");
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: "ok", nodeID: node.broker.nodeID });

    const ready = await get<{ status: string; failing: string[]; checks: Record<string, { ok: boolean }> }>(
      node.url,
      "/readyz",
    );
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe("ok");
    expect(ready.body.failing).toEqual([]);
    expect(ready.body.checks).toMatchObject({ broker: { ok: true }, "store:catalog": { ok: true } });
  });

  it("echoes a client's X-Request-Id and derives the trace id from it", async () => {
    const res = await get(node.url, "/api/v1/products?pageSize=1", { headers: { "X-Request-Id": "checkout-42" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("checkout-42");
    expect(res.headers.get("x-trace-id")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("continues an incoming W3C traceparent: its trace id is the request id", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await get(node.url, "/api/v1/products?pageSize=1", {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.headers.get("x-request-id")).toBe(traceId);
    expect(res.headers.get("x-trace-id")).toBe(traceId);
  });

  it("replaces an unsafe X-Request-Id with a fresh id", async () => {
    const res = await get(node.url, "/api/v1/products?pageSize=1", {
      headers: { "X-Request-Id": 'evil" value with spaces' },
    });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("serves the status page and its data (public outside production)", async () => {
    const page = await get(node.url, "/status");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Agora cluster");

    const data = await get<ClusterStatus>(node.url, "/status.json");
    expect(data.status).toBe(200);
    expect(data.body.nodes).toHaveLength(1);
    expect(data.body.nodes[0]).toMatchObject({ nodeID: node.broker.nodeID, health: "ready", gateway: true });
    expect(data.body.nodes[0].services).toEqual(expect.arrayContaining(["api", "catalog"]));
    expect(data.body.services.find((s) => s.name === "catalog")).toMatchObject({ instances: 1 });
  });

  it("counts requests into the node's request rate", async () => {
    for (let i = 0; i < 5; i++) await get(node.url, "/api/v1/products?pageSize=1");
    // The rate covers whole seconds that have passed; wait for the current one to close.
    await new Promise((r) => setTimeout(r, 1100));
    const data = await get<ClusterStatus>(node.url, "/status.json");
    expect(data.body.nodes[0].requestRate).toBeGreaterThan(0);
  });
});

describe("STATUS_PAGE", () => {
  const saved = process.env.STATUS_PAGE;
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode(["api"]);
  });
  afterAll(async () => {
    process.env.STATUS_PAGE = saved;
    if (saved === undefined) delete process.env.STATUS_PAGE;
    await node.stop();
  });

  it("admin: the data needs an admin token", async () => {
    process.env.STATUS_PAGE = "admin";
    expect((await get(node.url, "/status.json")).status).toBe(401);
    expect((await get(node.url, "/status.json", { token: "not-a-token" })).status).toBe(401);
    expect((await get(node.url, "/status")).status).toBe(200);
  });

  it("off: neither the page nor the data exist", async () => {
    process.env.STATUS_PAGE = "off";
    expect((await get(node.url, "/status")).status).toBe(404);
    expect((await get(node.url, "/status.json")).status).toBe(404);
  });
});

describe("STATUS_PAGE=admin with real tokens", () => {
  const saved = { ...process.env };
  let node: TestNode;
  beforeAll(async () => {
    Object.assign(process.env, {
      STATUS_PAGE: "admin",
      ADMIN_EMAIL: "status-admin@example.com",
      ADMIN_PASSWORD: "status-admin-password",
    });
    node = await startNode(["api", "users"]);
  });
  afterAll(async () => {
    await node.stop();
    for (const key of ["STATUS_PAGE", "ADMIN_EMAIL", "ADMIN_PASSWORD"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it("shows the data to an admin and refuses a customer", async () => {
    const admin = await request<{ token: string }>(node.url, "POST", "/api/v1/auth/login", {
      body: { email: "status-admin@example.com", password: "status-admin-password" },
    });
    expect(admin.status).toBe(200);
    const asAdmin = await get<ClusterStatus>(node.url, "/status.json", { token: admin.body.token });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.services.map((s) => s.name)).toEqual(["api", "users"]);

    const customer = await request<{ token: string }>(node.url, "POST", "/api/v1/auth/register", {
      body: { email: "status-customer@example.com", password: "customer-password", name: "C" },
    });
    expect(customer.status).toBe(201);
    expect((await get(node.url, "/status.json", { token: customer.body.token })).status).toBe(403);
  });
});

describe("readiness of a node whose dependency is missing", () => {
  let broker: ServiceBroker;
  beforeAll(async () => {
    broker = new ServiceBroker({ logger: false, transporter: null });
    broker.createService({ name: "cart", metadata: { dependsOn: { catalog: "hard", notifications: "optional" } } });
    await broker.start();
  });
  afterAll(() => broker.stop());

  it("names the missing service", async () => {
    const result = await readiness(broker);
    expect(result.status).toBe("unavailable");
    expect(result.failing).toEqual(["service:catalog"]);
    expect(result.checks["service:catalog"]).toEqual({ ok: false, error: "no available instance" });

    broker.createService({ name: "catalog" });
    await broker.waitForServices("catalog");
    const after = await readiness(broker);
    expect(after.status).toBe("ok");
  });
});
