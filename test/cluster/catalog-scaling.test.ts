import type { ServiceBroker } from "moleculer";
import { demoProductId, demoProducts } from "../../services/catalog/demo-products";
import { get } from "../helpers/http";
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
import {
  builtServices,
  FAST_HEARTBEAT,
  nodesSeenBy,
  requestCount,
  sleep,
  startLoad,
  servicesSeenBy,
  startObserver,
  stopAllLoads,
} from "./cluster";

/**
 * One cluster over a real nats-server, every node a real process started
 * with the production command: a gateway, three catalog replicas sharing one
 * MongoDB-wire store, and every other service on a node of its own. The
 * tests run in order and each leaves the cluster as the next expects it:
 * discovery → load balancing → graceful shutdown → kill -9 → NATS outage.
 */
describe("scaling the catalog over NATS", () => {
  const namespace = `scale${process.pid}`;
  let nats: NatsServer;
  let mongo: MongoServer;
  let observer: ServiceBroker | undefined;
  let gateway: AgoraNode;
  const catalogs: AgoraNode[] = [];
  const others: AgoraNode[] = [];
  let env: NodeJS.ProcessEnv;

  const startCatalog = async (n: number) => {
    const node = await startAgoraNode({ services: ["catalog"], nodeID: `catalog-${n}`, transporter: nats.url, env });
    catalogs.push(node);
    return node;
  };
  const live = () => catalogs.filter((c) => c.child.exitCode === null && c.child.signalCode === null);
  const productsPath = (i: number) => `/api/v1/products?pageSize=2&page=${(i % 10) + 1}`;

  beforeAll(async () => {
    [nats, mongo] = await Promise.all([startNats(), startMongo()]);
    env = {
      ...FAST_HEARTBEAT,
      NAMESPACE: namespace,
      MONGO_URI: mongo.uri,
      JWT_SECRET: "cluster-test-secret-cluster-test-secret",
      LOGLEVEL: "warn,BROKER=info",
    };
    // All three replicas start at once on the empty store and race to seed it.
    const rest = builtServices().filter((s) => s !== "api" && s !== "catalog");
    const started = await Promise.all([
      // Every read must reach a catalog replica: the gateway's own read cache is off here.
      startAgoraNode({
        services: ["api"],
        nodeID: "gateway-1",
        transporter: nats.url,
        env: { ...env, GATEWAY_CACHE: "false" },
      }),
      startCatalog(1),
      startCatalog(2),
      startCatalog(3),
      ...rest.map((s) => startAgoraNode({ services: [s], nodeID: `${s}-1`, transporter: nats.url, env })),
    ]);
    gateway = started[0];
    others.push(...started.slice(4));
    observer = await startObserver(nats.url, namespace);
  }, 120_000);

  afterAll(async () => {
    await stopAllLoads();
    await observer?.stop();
    await stopAll();
  });

  it("the gateway sees every node and every service within a few heartbeats", async () => {
    const expected = [gateway, ...catalogs, ...others].map((n) => n.nodeID);
    await eventually(async () => {
      const nodes = await nodesSeenBy(observer!, gateway.nodeID);
      const available = nodes.filter((n) => n.available).map((n) => n.id);
      return expected.every((id) => available.includes(id));
    }, 10_000);
    // A node announces its services again as each one starts: wait for the last of them.
    const services = await eventually(async () => {
      const seen = await servicesSeenBy(observer!, gateway.nodeID);
      return builtServices().every((name) => (seen.get(name)?.length ?? 0) > 0) ? seen : undefined;
    }, 10_000);
    expect(services.get("catalog")).toEqual(["catalog-1", "catalog-2", "catalog-3"]);
    for (const name of builtServices()) expect(services.get(name)?.length).toBeGreaterThan(0);
    // moleculer-web rebuilds its routes shortly (500 ms debounce) after services change.
    await eventually(async () => (await get(gateway.url, "/api/v1/products?pageSize=1")).status === 200, 10_000);
  });

  it("replicas that seeded the empty shared store together hold each demo product once", async () => {
    const list = await get<{ total: number; rows: { sku: string; id: string }[] }>(
      gateway.url,
      "/api/v1/products?pageSize=100",
    );
    expect(list.status).toBe(200);
    expect(list.body.rows.map((r) => r.sku).sort()).toEqual(demoProducts.map((p) => p.sku).sort());
    expect(list.body.rows.every((r) => r.id === demoProductId(r.sku))).toBe(true);
  });

  it("spreads 300 requests over the three catalog replicas, each serving at least 20%", async () => {
    // Who served is read from each replica's own request counter (Moleculer
    // metrics, the same numbers Prometheus scrapes), before and after.
    const before = await Promise.all(catalogs.map((c) => requestCount(observer!, c.nodeID, "catalog.list")));
    const statuses: number[] = [];
    for (let batch = 0; batch < 30; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => get(gateway.url, productsPath(batch * 10 + i))),
      );
      statuses.push(...responses.map((r) => r.status));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const after = await Promise.all(catalogs.map((c) => requestCount(observer!, c.nodeID, "catalog.list")));
    const served = after.map((n, i) => n - before[i]);
    expect(served.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(300);
    for (const count of served) expect(count).toBeGreaterThanOrEqual(60);
  });

  it("SIGTERM: requests in flight complete, new ones go to the other replicas", async () => {
    const leaving = catalogs.find((c) => c.nodeID === "catalog-3")!;
    const load = startLoad(gateway.url, productsPath, 8);
    await eventually(() => load.result.ok > 50, 15_000, 50);
    const code = await leaving.stop("SIGTERM");
    expect(code).toBe(0);
    const okAtExit = load.result.ok;
    await eventually(() => load.result.ok > okAtExit + 100, 15_000, 50);
    const result = await load.stop();
    expect(result).toMatchObject({ failed: 0, failures: [] });
    // It said goodbye: gone from the registry at once, not after a heartbeat timeout.
    const nodes = await nodesSeenBy(observer!, gateway.nodeID);
    expect(nodes.find((n) => n.id === leaving.nodeID)?.available ?? false).toBe(false);
    // Back to three replicas for the next test.
    await startCatalog(4);
    await eventually(async () => {
      const seen = await nodesSeenBy(observer!, gateway.nodeID);
      return seen.some((n) => n.id === "catalog-4" && n.available);
    }, 10_000);
  });

  it("kill -9 under load: no client request fails and the dead node leaves the registry", async () => {
    const victim = catalogs.find((c) => c.nodeID === "catalog-2")!;
    const load = startLoad(gateway.url, productsPath, 8);
    await eventually(() => load.result.ok > 50, 15_000, 50);
    await victim.kill();
    // Moleculer checks heartbeats every HEARTBEAT_TIMEOUT (4 s) in whole
    // seconds and drops a node silent for more than that: 5 to 10 s after
    // its last heartbeat, which came up to 1.5 s before the kill.
    await eventually(
      async () => {
        const nodes = await nodesSeenBy(observer!, gateway.nodeID);
        return !nodes.some((n) => n.id === victim.nodeID && n.available);
      },
      2 * 4000 + 1500 + 1000 + 1500,
      200,
    );
    const okAtRemoval = load.result.ok;
    await eventually(() => load.result.ok > okAtRemoval + 100, 15_000, 50);
    const result = await load.stop();
    expect(result).toMatchObject({ failed: 0, failures: [] });
    expect(
      live()
        .map((c) => c.nodeID)
        .sort(),
    ).toEqual(["catalog-1", "catalog-4"]);
  });

  it("NATS down for 3 s and back on the same port: requests succeed again within 10 s, no node restarted", async () => {
    const port = nats.port;
    await nats.stop("SIGTERM");
    await sleep(3000);
    nats = await startNats([], port);
    const restartedAt = Date.now();
    // A client polls as a person would: a request that gets no answer within
    // 2 s is abandoned and sent again. (Requests published while NATS was
    // down are lost with it; the gateway answers those after REQUEST_TIMEOUT.)
    const answered = async () => {
      const res = await fetch(gateway.url + productsPath(1), { signal: AbortSignal.timeout(2000) });
      return res.status === 200;
    };
    await eventually(answered, 10_000, 200);
    const recoveredIn = Date.now() - restartedAt;
    // Every replica is reachable again (not just one), still the same processes.
    await eventually(async () => {
      const nodes = await nodesSeenBy(observer!, gateway.nodeID);
      return live().every((c) => nodes.some((n) => n.id === c.nodeID && n.available));
    }, 15_000);
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => get(gateway.url, productsPath(i))));
    expect(statuses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    for (const node of [gateway, ...live(), ...others]) expect(node.child.exitCode).toBeNull();
    expect(recoveredIn).toBeLessThan(10_000);
  });
});
