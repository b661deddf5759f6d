import { get, request } from "../helpers/http";
import { eventually, startAgoraNode, startNats, stopAll, type AgoraNode } from "../helpers/processes";
import { startJaegerReceiver, type JaegerReceiver, type ReceivedSpan } from "../helpers/jaeger-receiver";

/**
 * Jaeger tracing across real processes over a real nats-server: the gateway,
 * the catalog and inventory (and users) each run in their own process and
 * report to a Jaeger stand-in (Thrift over HTTP). One REST request must give
 * ONE trace whose spans come from several processes, correctly linked.
 */
describe("tracing across processes (Jaeger, Thrift over HTTP)", () => {
  let receiver: JaegerReceiver;
  let gateway: AgoraNode;
  let nodes: AgoraNode[];

  beforeAll(async () => {
    receiver = await startJaegerReceiver();
    const nats = await startNats();
    const env = { JAEGER_ENDPOINT: receiver.endpoint, TRACING_SAMPLE_RATE: "1" };
    nodes = await Promise.all([
      // ACCESS_LOG: the gateway logs each response at info, a line of the request to look for.
      startAgoraNode({
        services: ["api"],
        nodeID: "trace-gateway",
        transporter: nats.url,
        env: { ...env, ACCESS_LOG: "true" },
      }),
      startAgoraNode({ services: ["catalog"], nodeID: "trace-catalog", transporter: nats.url, env }),
      startAgoraNode({ services: ["inventory"], nodeID: "trace-inventory", transporter: nats.url, env }),
      startAgoraNode({ services: ["users"], nodeID: "trace-users", transporter: nats.url, env }),
    ]);
    gateway = nodes[0];
    // The gateway routes once it has discovered the other nodes' services, and the catalog asks inventory
    // once it has discovered it (until then a product's availability is null and no inventory span exists).
    await eventually(async () => {
      const res = await get<{ rows: { available: number | null }[] }>(gateway.url, "/api/v1/products?pageSize=1");
      return res.status === 200 && typeof res.body.rows[0]?.available === "number";
    }, 30_000);
  }, 120_000);

  afterAll(async () => {
    await stopAll();
    await receiver?.close();
  });

  const traceOf = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);

  /** Waits until the spans of a trace stop arriving (each node flushes about once a second). */
  async function settledTrace(traceId: string, minNodes: number): Promise<ReceivedSpan[]> {
    let last = -1;
    const spans = await eventually(
      () => {
        const spans = traceOf(traceId);
        const nodes = new Set(spans.map((s) => s.nodeID));
        const settled = nodes.size >= minNodes && spans.length === last;
        last = spans.length;
        return settled ? spans : undefined;
      },
      30_000,
      1500,
    );
    return spans!;
  }

  it("one catalog request is one trace across gateway, catalog and inventory processes, with correct parents", async () => {
    const res = await get(gateway.url, "/api/v1/products?pageSize=3&q=mug", {
      headers: { "X-Request-Id": "trace-test-catalog-1" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("trace-test-catalog-1");
    const traceId = res.headers.get("x-trace-id")!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const spans = await settledTrace(traceId, 3);
    expect(new Set(spans.map((s) => s.nodeID))).toEqual(new Set(["trace-gateway", "trace-catalog", "trace-inventory"]));

    // Exactly one root: the HTTP request on the gateway.
    const roots = spans.filter((s) => /^0+$/.test(s.parentSpanId));
    expect(roots).toHaveLength(1);
    expect(roots[0].nodeID).toBe("trace-gateway");
    expect(roots[0].operationName).toMatch(/^GET \/api\/v1\/products/);

    // Every other span's parent is a span of the same trace.
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const span of spans) {
      if (span === roots[0]) continue;
      expect(byId.get(span.parentSpanId)).toBeDefined();
    }

    // gateway → catalog.list → inventory.availability, across processes.
    const list = spans.find((s) => s.operationName === "action 'catalog.list'")!;
    expect(list.nodeID).toBe("trace-catalog");
    const availability = spans.find((s) => s.operationName === "action 'inventory.availability'")!;
    expect(availability.nodeID).toBe("trace-inventory");
    expect(byId.get(availability.parentSpanId)).toBe(list);
    let ancestor = byId.get(list.parentSpanId);
    while (ancestor && ancestor !== roots[0]) ancestor = byId.get(ancestor.parentSpanId);
    expect(ancestor).toBe(roots[0]);

    // Moleculer's own $-events and cache cleaning are not traced (they would be traces of their own).
    expect(receiver.spans.filter((s) => /^event '(\$|cache\.clean\.)/.test(s.operationName))).toEqual([]);
  });

  it("puts the request id and trace id on the request's log lines (JSON in production)", () => {
    const lines = gateway
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{") && l.includes("trace-test-catalog-1"))
      .map((l) => JSON.parse(l) as { requestId?: string; traceId?: string; msg: string });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.requestId).toBe("trace-test-catalog-1");
      expect(line.traceId).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it("continues an incoming traceparent: same trace id, our root is a child of the caller's span", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const callerSpan = "b7ad6b7169203331";
    // A query no earlier test asked: the gateway's read cache would answer a repeated one without the catalog.
    const res = await get(gateway.url, "/api/v1/products?pageSize=3&sort=-name", {
      headers: { traceparent: `00-${traceId}-${callerSpan}-01` },
    });
    expect(res.status).toBe(200);
    const spans = await settledTrace(traceId, 2);
    const http = spans.find((s) => s.nodeID === "trace-gateway" && s.operationName.startsWith("GET "))!;
    expect(http.parentSpanId).toBe(callerSpan);
  });

  it("keeps passwords and tokens out of every span", async () => {
    const password = "Tr4ce-Secret-Passw0rd!";
    const email = `trace-${Date.now()}@example.com`;
    const reg = await request<{ token: string }>(gateway.url, "POST", "/api/v1/auth/register", {
      body: { email, password, name: "Trace Test" },
    });
    expect(reg.status).toBe(201);
    const login = await request<{ token: string }>(gateway.url, "POST", "/api/v1/auth/login", {
      body: { email, password },
    });
    expect(login.status).toBe(200);
    const me = await get(gateway.url, "/api/v1/me", { token: login.body.token });
    expect(me.status).toBe(200);
    const bad = await request(gateway.url, "POST", "/api/v1/auth/login", { body: { email, password: 98765432123 } });
    expect(bad.status).toBe(422);

    const traces = [reg, login, me, bad].map((r) => r.headers.get("x-trace-id")!);
    for (const traceId of traces) await settledTrace(traceId, 2);
    const leaking = (secret: string) =>
      receiver.spans.filter((s) => s.raw.includes(secret)).map((s) => `${s.nodeID}: ${s.operationName}`);
    expect(receiver.spans.some((s) => s.operationName === "action 'users.login'")).toBe(true);
    expect(leaking(password)).toEqual([]);
    expect(leaking(login.body.token)).toEqual([]);
    expect(leaking(reg.body.token)).toEqual([]);
    // A validation error's data echoes the rejected value; error tags leave data out.
    expect(leaking("98765432123")).toEqual([]);
    // Nor in any process's log.
    for (const node of nodes) {
      expect(node.output()).not.toContain(password);
      expect(node.output()).not.toContain(login.body.token);
    }
  });
});
