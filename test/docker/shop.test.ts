import { request } from "../helpers/http";
import { eventually } from "../helpers/processes";
import { buildLocalImages, dockerOk, describeDocker, run } from "./support/engine";
import { Load } from "./support/load";
import { prepareShop, type PreparedShop } from "./support/shop";
import { AGORA_SERVICES, shortId, Stack } from "./support/stack";
import { storedState } from "./support/store";
import { printFailedTraces, printWarnings } from "./support/traces";

/**
 * The whole shop on a real engine (issue #12, tests 2 to 7, in this order on
 * one stack): scaled up, crashed, rolled out, scaled in, its NATS restarted,
 * a dependency stopped, then taken down. Only ports published on 127.0.0.1
 * are used; containers talk over the stack's own network. Every phase under
 * load prints its request counts, p99 and slowest request.
 */
const SCALE = { catalog: 3, orders: 2, payments: 2 };
const scaleArgs = Object.entries(SCALE).flatMap(([s, n]) => ["--scale", `${s}=${n}`]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MIN = 60_000;

function report(title: string, load: Load, from = 0) {
  console.log(`${title}\n${JSON.stringify(load.summary(from), null, 1)}`);
}

async function checkout(shop: PreparedShop, token = shop.tokens[0]) {
  await request(shop.url, "PUT", `/api/v1/cart/items/${shop.productIds[0]}`, { token, body: { quantity: 1 } });
  const started = Date.now();
  const res = await request<{ status?: string }>(shop.url, "POST", "/api/v1/orders", {
    token,
    headers: { "idempotency-key": `docker-${Date.now()}-${Math.random()}` },
    body: { payment: { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" } },
  });
  return { ...res, ms: Date.now() - started };
}

describeDocker("the shop on a Docker engine (docker-compose.yml + compose.local.yml)", () => {
  let stack: Stack;
  let shop: PreparedShop;
  /** Start time of every app container, to prove later phases restarted none. */
  const startedAt = async (ids: string[]) =>
    Object.fromEntries(
      (await dockerOk("inspect", "-f", "{{.Id}} {{.State.StartedAt}} {{.RestartCount}}", ...ids))
        .split("\n")
        .map((l) => [l.split(" ")[0], l.split(" ").slice(1).join(" ")]),
    );
  const appContainers = async () => (await Promise.all(AGORA_SERVICES.map((s) => stack.containers(s)))).flat();
  /** The spans of the requests that failed (they name the call that held them), and what the nodes warned of. */
  const explainFailures = async (load: Load) => {
    await printFailedTraces(`http://127.0.0.1:${stack.port("JAEGER_UI_PORT")}`, load.failures());
    await printWarnings(await appContainers(), load.startedAt, load.failures());
  };

  beforeAll(async () => {
    await buildLocalImages();
    stack = await Stack.create("shop");
  }, 30 * MIN);

  afterAll(async () => {
    await stack?.destroy();
  }, 5 * MIN);

  it(
    "2. up --scale catalog=3 --scale orders=2 --scale payments=2: all healthy, a checkout is CONFIRMED, /status and Prometheus see every replica",
    async () => {
      const up = await stack.compose(["up", "-d", "--no-build", ...scaleArgs], {}, 15 * MIN);
      expect({ code: up.code, stderr: up.code ? up.stderr : "" }).toEqual({ code: 0, stderr: "" });

      for (const [service, n] of Object.entries({
        ...Object.fromEntries(AGORA_SERVICES.map((s) => [s, 1])),
        ...SCALE,
      })) {
        expect({ service, running: (await stack.containers(service)).length }).toEqual({ service, running: n });
      }
      // up -d waited for the load balancer's dependencies; the balancer's own check follows.
      const all = await eventually(async () => {
        const list = await stack.describe();
        return list.every((c) => c.state === "running" && ["healthy", "none"].includes(c.health)) && list;
      }, 2 * MIN);
      expect(
        all
          .filter((c) => c.health === "healthy")
          .map((c) => c.service)
          .sort(),
      ).toEqual(
        [
          ...AGORA_SERVICES,
          "catalog",
          "catalog",
          "orders",
          "payments",
          "recommendations",
          "lb",
          "mongo",
          "nats",
        ].sort(),
      );

      shop = await prepareShop(stack.url, 3);
      const order = await checkout(shop);
      expect({ status: order.status, order: order.body.status }).toEqual({ status: 201, order: "CONFIRMED" });

      // /status (admin data in production): one node per container, named by its host name, the container id.
      const status = await eventually(async () => {
        const res = await request<{ nodes: { nodeID: string; services: string[] }[] }>(
          stack.url,
          "GET",
          "/status.json",
          {
            token: shop.adminToken,
          },
        );
        return res.status === 200 && res.body;
      });
      for (const service of AGORA_SERVICES) {
        for (const id of await stack.containers(service)) {
          const node = status.nodes.find((n) => n.nodeID.startsWith(shortId(id)));
          expect({ container: shortId(id), services: node?.services }).toEqual({
            container: shortId(id),
            services: expect.arrayContaining([service]),
          });
        }
      }

      // Prometheus (Debian's, scraping by DNS): every app container is an up target.
      const addresses = async (ids: string[]) =>
        (await dockerOk("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", ...ids)).split(
          "\n",
        );
      const expected = (await addresses(await appContainers())).map((ip) => `${ip}:3030`).sort();
      const prometheus = `http://127.0.0.1:${stack.port("PROMETHEUS_PORT")}`;
      const up_ = await eventually(
        async () => {
          const res = await request<{ data: { activeTargets: { labels: { instance: string }; health: string }[] } }>(
            prometheus,
            "GET",
            "/api/v1/targets",
          );
          const upTargets = res.body.data.activeTargets
            .filter((t) => t.health === "up" && t.labels.instance.endsWith(":3030"))
            .map((t) => t.labels.instance)
            .sort();
          return expected.every((a) => upTargets.includes(a)) && upTargets;
        },
        2 * MIN,
        2000,
      );
      expect(up_).toEqual(expect.arrayContaining(expected));
      expect(expected).toHaveLength(AGORA_SERVICES.length + 4);
    },
    20 * MIN,
  );

  it(
    "3. docker kill of a catalog and a payments container under load: no failed request, each killed node dropped by the dead-node probe, orders and stock consistent",
    async () => {
      const load = new Load(shop);
      await sleep(3_000);
      const victims = [(await stack.containers("catalog"))[0], (await stack.containers("payments"))[0]];
      const survivors = (await appContainers()).filter((id) => !victims.includes(id));
      const killedAt = load.now();
      await dockerOk("kill", "-s", "KILL", ...victims);
      // A killed node must not hold calls until its heartbeats are missed (the
      // 10 s wait of #12): each victim is dropped by the dead-node probe, the
      // first call that waited on it pinging it (platform/core/dead-node-probe.ts).
      const dropStatus = async () => {
        const logs = (await Promise.all(survivors.map((id) => run("docker", ["logs", id])))).map(
          (r) => r.stdout + r.stderr,
        );
        return victims.map((victim) => ({
          victim: shortId(victim),
          droppedByProbe: logs.some((text) =>
            new RegExp(`Node '${shortId(victim)}-\\d+' did not answer a ping`).test(text),
          ),
        }));
      };
      const dropped = await eventually(
        async () => {
          const status = await dropStatus();
          return status.every((d) => d.droppedByProbe) && status;
        },
        2 * MIN,
        2000,
      ).catch(dropStatus);
      // The cluster carries on without them for a while.
      await sleep(5_000);
      await load.stop();
      report("3. docker kill under load (whole run / from the kill on)", load);
      report("   from the kill on", load, killedAt);

      await explainFailures(load);
      expect(load.failures()).toEqual([]);
      const summary = load.summary();
      expect(summary.checkout.n).toBeGreaterThan(0);
      expect(summary.list.n).toBeGreaterThan(0);
      // The slowest request is printed above, not asserted: on two shared cores
      // requests take seconds with no kill at all (docs/testing.md).
      expect(dropped).toEqual(victims.map((v) => ({ victim: shortId(v), droppedByProbe: true })));

      // Every order reached a final status; charged ⇔ CONFIRMED; stock adds up.
      const mongo = (await stack.containers("mongo"))[0];
      const state = await eventually(
        async () => {
          const s = await storedState(mongo);
          return s.orders.every((o) => o.status !== "PENDING") && s;
        },
        2 * MIN,
        2000,
      );
      const charged = new Set(state.payments.filter((p) => p.state === "CHARGED").map((p) => p.orderId));
      const confirmed = state.orders.filter((o) => o.status === "CONFIRMED");
      expect(confirmed.map((o) => o._id).sort()).toEqual([...charged].sort());
      for (const id of shop.productIds) {
        const sold = confirmed.flatMap((o) => o.items).filter((i) => i.productId === id);
        const product = await request<{ available: number }>(shop.url, "GET", `/api/v1/products/${id}`);
        expect({ id, available: product.body.available }).toEqual({
          id,
          available: shop.stock - sold.reduce((sum, i) => sum + i.quantity, 0),
        });
      }
    },
    10 * MIN,
  );

  it(
    "4. rollout of agora:next to every service, one container at a time, then catalog 3 → 1, under load: no failed request",
    async () => {
      // The killed containers are replaced first (as `up` would after a crash).
      await stack.composeOk(["up", "-d", "--no-build", ...scaleArgs], {}, 10 * MIN);
      const version = `next-${Date.now()}`;
      await buildLocalImages({ AGORA_TAG: "agora:next", AGORA_VERSION: version }, "agora");

      // Continuous, paced load: every step goes on all through the rollout,
      // and leaves the two cores to the nodes starting.
      const load = new Load(shop, { pauseMs: 100 });
      // Each service's containers one at a time; the services side by side, as
      // independent teams would (and a new node's start is the slow part).
      const rollouts = await Promise.all(
        AGORA_SERVICES.map(async (service) => {
          const out = await run("bash", ["docker/rollout.sh", service, "agora:next"], stack.env, 15 * MIN);
          return { service, code: out.code, stderr: out.code ? out.stderr : "" };
        }),
      );
      expect(rollouts).toEqual(AGORA_SERVICES.map((service) => ({ service, code: 0, stderr: "" })));
      const rolledAt = load.now();
      report("4. rollout of every service under load", load);

      // The new version everywhere: every app container runs agora:next and its /healthz says so.
      const containers = await appContainers();
      expect(containers).toHaveLength(AGORA_SERVICES.length + 4);
      const served = await Promise.all(
        containers.map(async (id) => {
          const image = await dockerOk("inspect", "-f", "{{.Config.Image}}", id);
          const healthz = await dockerOk(
            "exec",
            id,
            "bash",
            "-c",
            'exec 3<>/dev/tcp/127.0.0.1/$HEALTH_PORT && printf "GET /healthz HTTP/1.0\\r\\n\\r\\n" >&3 && cat <&3',
          );
          return { id: shortId(id), image, version: JSON.parse(healthz.slice(healthz.indexOf("{"))).version };
        }),
      );
      expect(served).toEqual(containers.map((id) => ({ id: shortId(id), image: "agora:next", version })));
      const gateway = await request<{ version: string }>(stack.url, "GET", "/healthz");
      expect(gateway.body.version).toBe(version);

      // Scale-in under the same load: compose stops the extra catalog containers (SIGTERM, graceful).
      await stack.composeOk(["up", "-d", "--no-build", "--no-deps", "--scale", "catalog=1", "catalog"], {
        AGORA_IMAGE: "agora:next",
      });
      await sleep(5_000);
      await load.stop();
      report("   catalog 3 → 1", load, rolledAt);
      expect(await stack.containers("catalog")).toHaveLength(1);
      await explainFailures(load);
      expect(load.failures()).toEqual([]);
      expect(load.summary(rolledAt).all.n).toBeGreaterThan(0);
    },
    30 * MIN,
  );

  it(
    "5. NATS restarted under load: the cluster recovers (time reported) with no failed request and no app container restarted",
    async () => {
      const before = await startedAt(await appContainers());
      const load = new Load(shop, { readers: 2 });
      await sleep(3_000);
      await stack.composeOk(["restart", "nats"]);
      const restartedAt = Date.now();
      // Recovered: every node back in the gateway's view, a read and a checkout answer.
      const nodes = Object.keys(before).length;
      await eventually(
        async () => {
          const status = await request<{ nodes: { nodeID: string }[] }>(stack.url, "GET", "/status.json", {
            token: shop.adminToken,
          });
          const read = await request(stack.url, "GET", "/api/v1/products?pageSize=1");
          return status.status === 200 && status.body.nodes.length >= nodes && read.status === 200;
        },
        60_000,
        250,
      );
      // Recovered once every node is back and a read answers; the checkout below
      // confirms writes work too (its own duration is not recovery time). The
      // load stops first: its checkout workers use the same users' carts.
      const recoveredMs = Date.now() - restartedAt;
      await load.stop();
      const order = await checkout(shop, shop.tokens[1]);
      report(`5. NATS restart: recovered ${recoveredMs} ms after the restart`, load);
      await explainFailures(load);
      expect(order.status).toBe(201);
      // Calls lost inside nats-server, or sent to a node not back on it yet, are
      // sent again (platform/patches/moleculer/nats-reconnect.ts): none fails. The issue's
      // "within 10 s" is reported above, not asserted (no timing bounds on two
      // shared cores): 1.6 s in the cold run of 1 Dec 04:52, 15 to 16 s before
      // that fix (docs/testing.md).
      expect(load.failures()).toEqual([]);
      expect(await startedAt(Object.keys(before))).toEqual(before);
    },
    10 * MIN,
  );

  it(
    "6. every payments container stopped: browse and cart work, checkout is a quick 503 with Retry-After; payments back → checkout works",
    async () => {
      const payments = await stack.containers("payments");
      const before = await startedAt((await appContainers()).filter((id) => !payments.includes(id)));
      await stack.composeOk(["stop", "payments"]);
      expect(await stack.containers("payments")).toEqual([]);

      expect((await request(stack.url, "GET", "/api/v1/products?pageSize=2")).status).toBe(200);
      const cart = await request(stack.url, "PUT", `/api/v1/cart/items/${shop.productIds[1]}`, {
        token: shop.tokens[2],
        body: { quantity: 1 },
      });
      expect(cart.status).toBe(200);
      const refused = await eventually(async () => {
        const r = await checkout(shop, shop.tokens[2]);
        return r.status === 503 && r;
      }, 60_000);
      console.log(
        `6. checkout without payments: ${refused.status} in ${refused.ms} ms, Retry-After ${refused.headers.get("retry-after")}`,
      );
      expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);

      await stack.composeOk(["start", "payments"]);
      const confirmed = await eventually(
        async () => {
          const r = await checkout(shop, shop.tokens[2]);
          return r.status === 201 && r;
        },
        2 * MIN,
        1000,
      );
      expect(confirmed.body.status).toBe("CONFIRMED");
      expect(await startedAt(Object.keys(before))).toEqual(before);
    },
    10 * MIN,
  );

  it(
    "7. down -v leaves no container, volume or network",
    async () => {
      await stack.composeOk(["down", "-v", "--remove-orphans"], {}, 5 * MIN);
      expect(await stack.leftovers()).toEqual({ containers: [], volumes: [], networks: [] });
    },
    10 * MIN,
  );
});
