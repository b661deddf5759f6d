import { get, request } from "../helpers/http";
import { eventually, startAgoraNode, startNats, stopAll, type AgoraNode, type NatsServer } from "../helpers/processes";
import type { AuthResult, Page, Product } from "../../contracts";

/**
 * nats-server restarted under the cluster (platform/patches/moleculer/nats-reconnect.ts),
 * real processes over a real nats-server:
 *
 * - a call whose request nats-server took and then lost is sent again once the
 *   connection is back, instead of waiting out REQUEST_TIMEOUT (set to 10 min
 *   here, so without the fix it would outlast the test);
 * - a write made while the other gateway was cut off reaches that gateway's read
 *   cache after the reconnect (CACHE_TTL 1 h here, so the TTL cannot be what
 *   clears it).
 *
 * - a call sent while nats-server was down, to a node that is back on the
 *   server only after the gateway (nats.js sent it on reconnect, to nobody), is
 *   sent again when that node announces itself.
 *
 * nats-server is paused (SIGSTOP) before the call: what the gateway sends then
 * stays unread in nats-server's socket and dies with it (SIGKILL), which is
 * what a crash of nats-server does to the messages it holds.
 */
const ADMIN = { email: "restart-admin@example.com", password: "restart admin password" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("nats-server restarted under the cluster", () => {
  let nats: NatsServer;
  let shop: AgoraNode;
  let gateway: AgoraNode;
  let productId: string;
  let token: string;

  beforeAll(async () => {
    nats = await startNats();
    const env = {
      NAMESPACE: `restart${process.pid}`,
      JWT_SECRET: "restart-test-secret-restart-test-secret",
      REQUEST_TIMEOUT: "600000",
      CACHE_TTL: "3600",
      NATS_RECONNECT_WAIT: "200",
      LOGLEVEL: "warn,BROKER=info,NatsReconnect=info",
    };
    // The shop on one node (its own gateway), and a second gateway alone.
    [shop, gateway] = await Promise.all([
      startAgoraNode({
        services: ["api", "catalog", "inventory", "users"],
        nodeID: "restart-shop",
        transporter: nats.url,
        env: { ...env, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
      }),
      startAgoraNode({ services: ["api"], nodeID: "restart-gateway", transporter: nats.url, env }),
    ]);
    await eventually(async () => (await get(gateway.url, "/api/v1/products?pageSize=1")).status === 200, 30_000);
    productId = (await get<Page<Product>>(gateway.url, "/api/v1/products?pageSize=1")).body.rows[0].id;
    token = (await request<AuthResult>(shop.url, "POST", "/api/v1/auth/login", { body: ADMIN })).body.token;
  }, 120_000);

  afterAll(() => stopAll());

  async function restartNats(during: () => Promise<void>): Promise<void> {
    const { port } = nats;
    process.kill(nats.child.pid!, "SIGSTOP");
    await during();
    await nats.kill();
    nats = await startNats([], port);
  }

  it("a call lost inside nats-server is sent again after the reconnect, not left to its 10-minute timeout", async () => {
    let answer: Promise<{ status: number; body: { id?: string } }> | undefined;
    await restartNats(async () => {
      // Not read through this gateway before: its read cache cannot answer it without NATS.
      answer = request<{ id?: string }>(gateway.url, "GET", `/api/v1/products/${productId}`);
      await sleep(500);
    });
    const outcome = await Promise.race([answer!, sleep(60_000).then(() => "no answer within 60 s" as const)]);
    expect(outcome).not.toBe("no answer within 60 s");
    expect(outcome).toMatchObject({ status: 200, body: { id: productId } });
    await eventually(async () => /call\(s\) sent before the reconnect are sent again/.test(gateway.output()), 10_000);
  }, 120_000);

  it("a write made while a gateway was cut off reaches that gateway's read cache after the reconnect", async () => {
    const path = `/api/v1/products/${productId}`;
    const before = (await get<Product>(gateway.url, path)).body.available;
    expect(typeof before).toBe("number");
    // Cached at the gateway now; the write goes through the shop's own gateway while NATS is away.
    expect((await get<Product>(gateway.url, path)).body.available).toBe(before);
    const quantity = (before ?? 0) + 17;
    await restartNats(async () => {
      const put = await request(shop.url, "PUT", `/api/v1/inventory/${productId}`, { token, body: { quantity } });
      expect(put.status).toBe(200);
    });
    await eventually(async () => (await get<Product>(gateway.url, path)).body.available === quantity, 30_000);
  }, 120_000);

  it("a call sent during the cut to a node that reconnects after the gateway is sent again once that node is back", async () => {
    const { port } = nats;
    // The shop reconnects last: it is paused until the gateway is back and has flushed the call.
    process.kill(shop.child.pid!, "SIGSTOP");
    let answer: Promise<{ status: number; body: { rows?: unknown[] } }> | undefined;
    try {
      await nats.kill();
      // A list this gateway has not read: its read cache cannot answer without NATS.
      answer = request<{ rows?: unknown[] }>(gateway.url, "GET", "/api/v1/products?pageSize=3");
      await sleep(300);
      const reconnects = gateway.output().split("Reconnected to NATS").length;
      nats = await startNats([], port);
      await eventually(async () => gateway.output().split("Reconnected to NATS").length > reconnects, 20_000);
      // The call went out on reconnect, to no subscriber.
      await sleep(1_000);
    } finally {
      process.kill(shop.child.pid!, "SIGCONT");
    }
    const outcome = await Promise.race([answer!, sleep(60_000).then(() => "no answer within 60 s" as const)]);
    expect(outcome).not.toBe("no answer within 60 s");
    expect(outcome).toMatchObject({ status: 200, body: { rows: expect.any(Array) } });
    expect(gateway.output()).toMatch(/Node 'restart-shop' is back on NATS; 1 call\(s\) to it are sent again/);
  }, 120_000);
});
