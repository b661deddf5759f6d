import type { ServiceBroker } from "moleculer";
import type { Product } from "../../contracts";
import { demoProductId, demoProducts } from "../../services/catalog/demo-products";
import { get, request } from "../helpers/http";
import { eventually, startAgoraNode, startNats, stopAll, type AgoraNode, type NatsServer } from "../helpers/processes";
import { FAST_HEARTBEAT, requestCount, startObserver } from "./cluster";

/**
 * Two gateways, a catalog + inventory node and a users node, real processes
 * over a real nats-server. Each gateway answers product reads it has answered
 * before from its own cache; a write through one gateway is visible on that
 * gateway in its very next read, and on the other once the write's event has
 * reached it. The time that took is printed (the bench suite measures it under
 * load); the test asserts only what must hold.
 */
describe("gateway-side read cache over NATS", () => {
  const namespace = `readcache${process.pid}`;
  const admin = { email: "cache-admin@example.com", password: "cache admin password" };
  const productId = demoProductId(demoProducts[0].sku);
  let nats: NatsServer;
  let observer: ServiceBroker | undefined;
  let a: AgoraNode;
  let b: AgoraNode;
  let token: string;

  const read = async (gw: AgoraNode) => {
    const res = await get<Product>(gw.url, `/api/v1/products/${productId}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const asAdmin = (method: string, gw: AgoraNode, path: string, body: object) =>
    request(gw.url, method, path, { body, token });

  beforeAll(async () => {
    nats = await startNats();
    const env = {
      ...FAST_HEARTBEAT,
      NAMESPACE: namespace,
      JWT_SECRET: "read-cache-test-secret-read-cache-test",
      LOGLEVEL: "warn,BROKER=info",
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    };
    [a, b] = await Promise.all([
      startAgoraNode({ services: ["api"], nodeID: "gateway-a", transporter: nats.url, env }),
      startAgoraNode({ services: ["api"], nodeID: "gateway-b", transporter: nats.url, env }),
      startAgoraNode({ services: ["catalog", "inventory"], nodeID: "catalog-1", transporter: nats.url, env }),
      startAgoraNode({ services: ["users"], nodeID: "users-1", transporter: nats.url, env }),
    ]);
    observer = await startObserver(nats.url, namespace);
    // Both gateways reach the catalog, and the admin can sign in.
    for (const gw of [a, b])
      await eventually(async () => (await get(gw.url, `/api/v1/products/${productId}`)).status === 200);
    const login = await eventually(async () => {
      const res = await request<{ token: string }>(a.url, "POST", "/api/v1/auth/login", { body: admin });
      return res.status === 200 && res.body;
    });
    token = login.token;
    // Both gateways listen for the events writes broadcast before anything is written.
    await eventually(
      () =>
        observer!.registry.events.getAllEndpoints("inventory.changed").filter((e) => e.id.startsWith("gateway"))
          .length === 2,
    );
  }, 120_000);

  afterAll(async () => {
    await observer?.stop();
    await stopAll();
  });

  it("answers a repeated product read at the gateway without calling the catalog", async () => {
    await read(a);
    const before = await requestCount(observer!, "catalog-1", "catalog.get");
    for (let i = 0; i < 5; i++) await read(a);
    expect(await requestCount(observer!, "catalog-1", "catalog.get")).toBe(before);
  });

  it("shows a stock change on the writer's gateway at once and on the other gateway eventually", async () => {
    // Both gateways hold the product in their caches.
    await Promise.all([read(a), read(a), read(b), read(b)]);
    const quantity = (await read(a)).available! + 7;
    const put = await asAdmin("PUT", a, `/api/v1/inventory/${productId}`, { quantity });
    expect(put.status).toBe(200);
    const written = performance.now();
    expect((await read(a)).available).toBe(quantity);
    await eventually(async () => (await read(b)).available === quantity, 10_000, 1);
    console.log(
      `gateway-b served the new stock ${(performance.now() - written).toFixed(1)} ms after the write returned`,
    );
  });

  it("shows a catalog change on the writer's gateway at once and on the other gateway eventually", async () => {
    await Promise.all([read(a), read(b)]);
    const name = `Renamed ${Date.now()}`;
    const patch = await asAdmin("PATCH", b, `/api/v1/products/${productId}`, { name });
    expect(patch.status).toBe(200);
    const written = performance.now();
    expect((await read(b)).name).toBe(name);
    await eventually(async () => (await read(a)).name === name, 10_000, 1);
    console.log(
      `gateway-a served the new name ${(performance.now() - written).toFixed(1)} ms after the write returned`,
    );
  });
});
