import { get, request } from "../helpers/http";
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
 * Liveness and readiness on real processes: every node answers /healthz and
 * /readyz on its own HEALTH_PORT (service-only nodes too), the gateway also
 * on its HTTP port. Readiness turns 503, naming the failing check, when a
 * service the node depends on is missing, when its store is unreachable and
 * when the transporter is disconnected, and recovers when they come back.
 */
interface Readiness {
  status: string;
  nodeID: string;
  failing: string[];
  checks: Record<string, { ok: boolean; error?: string }>;
}

const readyz = (baseUrl: string) => get<Readiness>(baseUrl, "/readyz");

describe("health and readiness probes", () => {
  let nats: NatsServer;
  let mongo: MongoServer;
  let gateway: AgoraNode;
  let cart: AgoraNode;
  let catalog: AgoraNode;

  beforeAll(async () => {
    [nats, mongo] = await Promise.all([startNats(), startMongo()]);
    [gateway, cart] = await Promise.all([
      startAgoraNode({ services: ["api"], nodeID: "probe-gateway", transporter: nats.url }),
      startAgoraNode({ services: ["cart"], nodeID: "probe-cart", transporter: nats.url }),
    ]);
  }, 120_000);

  afterAll(() => stopAll());

  it("a node whose dependency is missing is alive but not ready, naming the missing service", async () => {
    expect((await get(cart.healthUrl, "/healthz")).status).toBe(200);
    const res = await readyz(cart.healthUrl);
    expect(res.status).toBe(503);
    expect(res.body.status).toBe("unavailable");
    expect(res.body.failing).toEqual(["service:catalog"]);
    expect(res.body.checks.transporter).toEqual({ ok: true });
  });

  it("answers anything but a probe with the gateway's JSON error shape (404, 405 + Allow), never a stack", async () => {
    const notFound = await request<Record<string, unknown>>(cart.healthUrl, "GET", "/metrics?x=<script>");
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get("content-type")).toMatch(/^application\/json/);
    expect(notFound.body).toEqual({
      name: "NotFoundError",
      message: expect.stringContaining("/healthz"),
      code: 404,
      type: "NOT_FOUND",
    });
    expect(notFound.text).not.toContain("<script>");
    const notAllowed = await request<Record<string, unknown>>(cart.healthUrl, "POST", "/readyz", { body: { a: 1 } });
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(notAllowed.body).toMatchObject({ name: "MethodNotAllowedError", code: 405, type: "METHOD_NOT_ALLOWED" });
    expect(String(notAllowed.body.message)).not.toHaveLength(0);
  });

  it("becomes ready once the dependency joins; the store check covers MongoDB", async () => {
    catalog = await startAgoraNode({
      services: ["catalog"],
      nodeID: "probe-catalog",
      transporter: nats.url,
      env: { MONGO_URI: mongo.uri, NAMESPACE: "agora" },
    });
    await eventually(async () => (await readyz(cart.healthUrl)).status === 200, 30_000);
    const res = await readyz(catalog.healthUrl);
    expect(res.status).toBe(200);
    expect(res.body.checks["store:catalog"]).toEqual({ ok: true });
    // The gateway answers on its own HTTP port as well.
    const viaGateway = await readyz(gateway.url);
    expect(viaGateway.status).toBe(200);
    expect(viaGateway.body.nodeID).toBe("probe-gateway");
  });

  it("an unreachable store makes the node not ready (503 store:catalog)", async () => {
    await mongo.kill();
    const res = (await eventually(async () => {
      const r = await readyz(catalog.healthUrl);
      return r.status === 503 ? r : undefined;
    }, 30_000))!;
    expect(res.body.failing).toContain("store:catalog");
    expect(res.body.checks["store:catalog"].ok).toBe(false);
    // Still alive: a restart would not bring the database back.
    expect((await get(catalog.healthUrl, "/healthz")).status).toBe(200);
  });

  it("a lost transporter makes every node not ready (503 transporter); they recover with it", async () => {
    const port = nats.port;
    await nats.stop();
    for (const node of [gateway, cart]) {
      const res = (await eventually(async () => {
        const r = await readyz(node.healthUrl);
        return r.status === 503 && r.body.failing.includes("transporter") ? r : undefined;
      }, 30_000))!;
      expect(res.body.checks.transporter.ok).toBe(false);
      expect((await get(node.healthUrl, "/healthz")).status).toBe(200);
    }
    expect((await readyz(gateway.url)).status).toBe(503);

    nats = await startNats([], port);
    await eventually(async () => (await readyz(gateway.healthUrl)).status === 200, 30_000);
    await eventually(async () => (await readyz(cart.healthUrl)).status === 200, 30_000);
  });
});
