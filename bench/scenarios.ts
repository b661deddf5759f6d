import fs from "node:fs";
import path from "node:path";
import { runLoad } from "./lib/load";
import type { LoadResult, LoadSpec, Step } from "./lib/load-spec";
import { freePort, rssMb, ROOT, spawnAgora, spawnNode, READY_LINE, type BenchProc } from "./lib/procs";
import type { ScenarioResult } from "./lib/report";
import {
  APPROVED_CARD,
  builtServices,
  deploy,
  json,
  probeCheckout,
  registerUsers,
  type Deployment,
  type NodeLayout,
  type Seed,
} from "./lib/shop";
import { summarizeProfiles } from "./lib/cpu-profile";
import { cpuMs, median } from "./lib/cpu-time";
import { staleness } from "./staleness";
import { storefrontBudgets } from "./storefront";

export interface BenchOptions {
  durationSec: number;
  warmupSec: number;
  /** Connections for the read scenarios (C1, C2, S1..S3). */
  connections: number;
  /** Users (one connection each) for the checkout and mix scenarios. */
  users: number;
  /** Write CPU profiles of the gateway and catalog processes (S1, S2) and summarize them. */
  profile: boolean;
}

export interface BenchContext {
  opts: BenchOptions;
  workDir: string;
  logDir: string;
  resultsDir: string;
  seed: Seed;
  natsUrl: string;
  results: Map<string, ScenarioResult>;
}

export interface Scenario {
  id: string;
  title: string;
  /** Scenarios whose numbers this one's ratio needs (run first). */
  needs?: string[];
  /** Programs it needs on the path; without them it is reported as skipped. */
  requires?: ("nats-server" | "taskset")[];
  run(ctx: BenchContext): Promise<ScenarioResult | ScenarioResult[]>;
}

const ns = (id: string) => `bench-${id.toLowerCase()}-${process.pid}`;

function fromLoad(id: string, title: string, load: LoadResult, ceiling: string | null, note?: string): ScenarioResult {
  return {
    id,
    title,
    reqPerSec: load.reqPerSec,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    p999Ms: load.p999Ms,
    errors: load.errors + load.timeouts,
    non2xx: load.non2xx,
    ceiling,
    ratioToCeiling: null,
    connections: load.connections,
    routes: load.routes,
    note,
  };
}

export function skipped(id: string, title: string, reason: string): ScenarioResult {
  return {
    id,
    title,
    reqPerSec: null,
    p50Ms: null,
    p99Ms: null,
    p999Ms: null,
    errors: null,
    non2xx: null,
    ceiling: null,
    ratioToCeiling: null,
    skipped: reason,
  };
}

function readSpec(ctx: BenchContext, url: string, pathname: string): LoadSpec {
  return {
    url,
    connections: ctx.opts.connections,
    durationSec: ctx.opts.durationSec,
    warmupSec: ctx.opts.warmupSec,
    sequence: [{ route: "get", method: "GET", path: pathname }],
  };
}

function profileFlags(ctx: BenchContext, scenario: string, node: string): string[] {
  if (!ctx.opts.profile) return [];
  return ["--cpu-prof", `--cpu-prof-dir=${path.join(ctx.workDir, "profiles", `${scenario}-${node}`)}`];
}

/** After the nodes stopped (profiles are written on exit): top frames per process, printed and kept. */
function reportProfiles(ctx: BenchContext, scenario: string, nodes: string[], load: LoadResult): void {
  if (!ctx.opts.profile) return;
  for (const node of nodes) {
    const dir = path.join(ctx.workDir, "profiles", `${scenario}-${node}`);
    if (!fs.existsSync(dir)) continue;
    // Kept with --keep: bench/lib/cpu-breakdown.ts cuts the raw profile to the same window.
    fs.writeFileSync(path.join(dir, "window.json"), JSON.stringify(load.windowUs));
    const text = summarizeProfiles(dir, 30, load.windowUs);
    const file = path.join(ctx.resultsDir, `profile-${scenario}-${node}.txt`);
    fs.writeFileSync(file, text);
    console.log(`\n${scenario} ${node}: CPU profile (${path.relative(ROOT, file)})\n${text}`);
  }
}

const productPath = (ctx: BenchContext) => `/api/v1/products/${ctx.seed.productIds[0]}`;

function bodyFile(ctx: BenchContext): string {
  const file = path.join(ctx.workDir, "product-body.json");
  fs.writeFileSync(file, JSON.stringify(ctx.seed.productBody));
  return file;
}

const generatorChecks = new Map<string, number>();

/**
 * What wrk reaches with exactly this spec's settings (threads, connections,
 * Lua script, users and bodies) against C1's bare server, which answers any
 * request with the product body: shown beside each scenario, so the table
 * says in the same run that the generator is not the limit. Read scenarios use
 * C1's own settings, so C1 is their check; the others get a run of their own,
 * once per distinct setting.
 */
async function generatorAlone(ctx: BenchContext, spec: LoadSpec): Promise<number> {
  const key = JSON.stringify({ c: spec.connections, users: spec.users?.length ?? 0, seq: spec.sequence });
  const known = generatorChecks.get(key);
  if (known !== undefined) return known;
  const port = await freePort();
  const server = spawnNode(path.join(ROOT, "bench/ceilings/c1-http.ts"), [bodyFile(ctx)], {
    name: "c1-generator-check",
    logDir: ctx.logDir,
    env: { PORT: String(port) },
  });
  await server.waitForLog(/ready/);
  const load = await withProcs([server], () =>
    runLoad({ ...spec, url: `http://127.0.0.1:${port}`, warmupSec: 0 }, ctx.workDir),
  );
  generatorChecks.set(key, load.reqPerSec);
  return load.reqPerSec;
}

async function withProcs<T>(procs: BenchProc[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
}

function rssOf(nodes: BenchProc[]): Record<string, number | null> {
  return Object.fromEntries(nodes.map((n) => [n.name, rssMb(n.pid)]));
}

export const checkoutSteps: Step[] = [
  { route: "cart.set", method: "PUT", path: "/api/v1/cart/items/{productId}", body: { quantity: 1 }, auth: true },
  {
    route: "checkout",
    method: "POST",
    path: "/api/v1/orders",
    body: { payment: APPROVED_CARD },
    auth: true,
    idempotencyKey: true,
  },
];

/** Online Boutique-like browsing: list 10 : get 3 : cart 2 : checkout 1, per user, in this order. */
const mixSteps: Step[] = (() => {
  const list = (page: number, sort: string): Step => ({
    route: "list",
    method: "GET",
    path: `/api/v1/products?page=${page}&pageSize=10&sort=${sort}`,
  });
  const get = (v: string): Step => ({ route: "get", method: "GET", path: `/api/v1/products/{${v}}` });
  return [
    list(1, "name"),
    get("p0"),
    list(2, "name"),
    list(1, "-priceCents"),
    { route: "cart", method: "PUT", path: "/api/v1/cart/items/{p0}", body: { quantity: 1 }, auth: true },
    list(1, "priceCents"),
    get("p1"),
    list(3, "name"),
    list(1, "name"),
    list(2, "-priceCents"),
    { route: "cart", method: "GET", path: "/api/v1/cart", auth: true },
    list(1, "createdAt"),
    get("p2"),
    list(2, "name"),
    list(1, "-createdAt"),
    {
      route: "checkout",
      method: "POST",
      path: "/api/v1/orders",
      body: { payment: APPROVED_CARD },
      auth: true,
      idempotencyKey: true,
    },
  ];
})();

const CHECKOUT_SERVICES = ["api", "catalog", "inventory", "users", "cart", "orders", "payments"];

function checkoutMissing(): string | null {
  const built = builtServices(ROOT);
  const missing = CHECKOUT_SERVICES.filter((s) => !built.includes(s));
  return missing.length ? `the checkout needs ${missing.join(", ")}, not in this build` : null;
}

/** One node per service, as the shop is deployed over NATS. */
function perServiceLayout(ctx: BenchContext, scenario: string): NodeLayout[] {
  const built = builtServices(ROOT);
  // Catalog and inventory share a node: every product read asks inventory for availability.
  const groups = [
    ["api"],
    ["catalog", "inventory"],
    ...built.filter((s) => !["api", "catalog", "inventory"].includes(s)).map((s) => [s]),
  ];
  return groups.map((services) => {
    const name = services.join("+");
    return {
      name,
      services,
      nodeFlags: profileFlags(ctx, scenario, name),
    };
  });
}

async function checkoutLoad(
  ctx: BenchContext,
  d: Deployment,
  tag: string,
  steps: Step[],
): Promise<{ load: LoadResult; spec: LoadSpec }> {
  const tokens = await registerUsers(d.url, ctx.opts.users, `${tag}-${process.pid}`);
  const ids = ctx.seed.productIds;
  await probeCheckout(d.url, tokens[0], ids[0]);
  const spec: LoadSpec = {
    url: d.url,
    connections: tokens.length,
    durationSec: ctx.opts.durationSec,
    warmupSec: ctx.opts.warmupSec,
    sequence: steps,
    users: tokens.map((token, i) => ({
      token,
      vars: {
        productId: ids[i % ids.length],
        p0: ids[i % ids.length],
        p1: ids[(i + 1) % ids.length],
        p2: ids[(i + 2) % ids.length],
      },
    })),
  };
  return { load: await runLoad(spec, ctx.workDir), spec };
}

export const SCENARIOS: Scenario[] = [
  {
    id: "C1",
    title: "ceiling: bare node:http, same JSON body",
    async run(ctx) {
      const port = await freePort();
      const server = spawnNode(path.join(ROOT, "bench/ceilings/c1-http.ts"), [bodyFile(ctx)], {
        name: "c1",
        logDir: ctx.logDir,
        env: { PORT: String(port) },
      });
      await server.waitForLog(/ready/);
      const load = await withProcs([server], () =>
        runLoad(readSpec(ctx, `http://127.0.0.1:${port}`, productPath(ctx)), ctx.workDir),
      );
      return fromLoad("C1", this.title, load, null);
    },
  },
  {
    id: "C2",
    requires: ["nats-server"],
    title: "ceiling: node:http front → raw NATS request/reply → responder process",
    async run(ctx) {
      const port = await freePort();
      const responder = spawnNode(path.join(ROOT, "bench/ceilings/c2-responder.ts"), [ctx.natsUrl, bodyFile(ctx)], {
        name: "c2-responder",
        logDir: ctx.logDir,
      });
      const front = spawnNode(path.join(ROOT, "bench/ceilings/c2-front.ts"), [ctx.natsUrl], {
        name: "c2-front",
        logDir: ctx.logDir,
        env: { PORT: String(port) },
      });
      return withProcs([front, responder], async () => {
        await Promise.all([responder.waitForLog(/ready/), front.waitForLog(/ready/)]);
        const load = await runLoad(readSpec(ctx, `http://127.0.0.1:${port}`, productPath(ctx)), ctx.workDir);
        return fromLoad("C2", this.title, load, null);
      });
    },
  },
  {
    id: "S1",
    title: "GET /products/:id, one process (embedded)",
    needs: ["C1"],
    async run(ctx) {
      const d = await deploy({
        layout: [{ name: "embedded", services: builtServices(ROOT), nodeFlags: profileFlags(ctx, "S1", "embedded") }],
        seed: ctx.seed,
        workDir: ctx.workDir,
        logDir: ctx.logDir,
        namespace: ns("S1"),
      });
      const load = await withProcs(d.nodes, () => runLoad(readSpec(ctx, d.url, productPath(ctx)), ctx.workDir));
      reportProfiles(ctx, "S1", ["embedded"], load);
      return fromLoad("S1", this.title, load, "C1");
    },
  },
  {
    id: "S1-list",
    title: "GET /products?pageSize=20, one process (embedded)",
    needs: ["C1", "S1"],
    async run(ctx) {
      const d = await deploy({
        layout: [{ name: "embedded-list", services: builtServices(ROOT) }],
        seed: ctx.seed,
        workDir: ctx.workDir,
        logDir: ctx.logDir,
        namespace: ns("S1-list"),
      });
      const load = await withProcs(d.nodes, () =>
        runLoad(readSpec(ctx, d.url, "/api/v1/products?pageSize=20"), ctx.workDir),
      );
      return fromLoad("S1-list", this.title, load, "C1");
    },
  },
  {
    id: "S1-nometrics",
    title: "S1 with METRICS=false, in turns with a metrics-on twin (what metrics cost)",
    needs: ["C1", "S1"],
    async run(ctx) {
      // Two runs minutes apart on a shared machine differ by more than metrics cost: the cost is measured
      // in alternating slices against a twin with metrics on, as CPU time per request (bench/ab.ts does the same).
      const twin = (name: string, env: NodeJS.ProcessEnv) =>
        deploy({
          layout: [{ name, services: builtServices(ROOT), env }],
          seed: ctx.seed,
          workDir: ctx.workDir,
          logDir: ctx.logDir,
          namespace: ns(name),
        });
      const on = await twin("embedded-metrics-on", {});
      const off = await twin("embedded-metrics-off", { METRICS: "false" }).catch(async (err) => {
        await on.stop();
        throw err;
      });
      return withProcs([...on.nodes, ...off.nodes], async () => {
        const sliceSec = ctx.opts.durationSec >= 6 ? 2 : 1;
        const rounds = Math.max(3, Math.round(ctx.opts.durationSec / sliceSec));
        const slice = async (d: Deployment, warmupSec: number) => {
          const pids = d.nodes.map((n) => n.pid);
          const before = cpuMs(pids);
          const load = await runLoad(
            { ...readSpec(ctx, d.url, productPath(ctx)), durationSec: sliceSec, warmupSec },
            ctx.workDir,
          );
          return { load, cpuUsPerReq: load.count > 0 ? ((cpuMs(pids) - before) * 1000) / load.count : NaN };
        };
        await slice(on, ctx.opts.warmupSec);
        await slice(off, ctx.opts.warmupSec);
        const pairs: { on: Awaited<ReturnType<typeof slice>>; off: Awaited<ReturnType<typeof slice>> }[] = [];
        for (let i = 0; i < rounds; i++) {
          if (i % 2) {
            const b = await slice(off, 0);
            pairs.push({ on: await slice(on, 0), off: b });
          } else {
            const a = await slice(on, 0);
            pairs.push({ on: a, off: await slice(off, 0) });
          }
        }
        const cpuOn = median(pairs.map((p) => p.on.cpuUsPerReq));
        const cpuOff = median(pairs.map((p) => p.off.cpuUsPerReq));
        const cpuShare = 1 - median(pairs.map((p) => p.off.cpuUsPerReq / p.on.cpuUsPerReq));
        const reqShare = 1 - median(pairs.map((p) => p.on.load.reqPerSec / p.off.load.reqPerSec));
        // The row shows the metrics-off slice of median throughput.
        const sorted = [...pairs].sort((x, y) => x.off.load.reqPerSec - y.off.load.reqPerSec);
        const row = fromLoad("S1-nometrics", this.title, sorted[Math.floor(sorted.length / 2)].off.load, "C1");
        const errors = pairs.reduce(
          (n, p) => n + p.on.load.errors + p.on.load.non2xx + p.off.load.errors + p.off.load.non2xx,
          0,
        );
        row.metricsCost = {
          rounds,
          sliceSec,
          cpuUsPerReqOn: Math.round(cpuOn * 10) / 10,
          cpuUsPerReqOff: Math.round(cpuOff * 10) / 10,
          cpuShare: Math.round(cpuShare * 1000) / 1000,
          reqPerSecOn: median(pairs.map((p) => p.on.load.reqPerSec)),
          reqPerSecOff: median(pairs.map((p) => p.off.load.reqPerSec)),
          reqPerSecShare: Math.round(reqShare * 1000) / 1000,
          errors,
        };
        return row;
      });
    },
  },
  {
    id: "S2",
    requires: ["nats-server"],
    title: "GET /products/:id, gateway and catalog processes over NATS, every read crosses NATS",
    needs: ["C2"],
    async run(ctx) {
      const d = await deploy({
        layout: [
          // The gateway-side read cache off: this is the hop itself (S2-cache has it on).
          {
            name: "api",
            services: ["api"],
            nodeFlags: profileFlags(ctx, "S2", "api"),
            env: { GATEWAY_CACHE: "false" },
          },
          {
            name: "catalog+inventory",
            services: ["catalog", "inventory"],
            nodeFlags: profileFlags(ctx, "S2", "catalog"),
          },
        ],
        seed: ctx.seed,
        workDir: ctx.workDir,
        logDir: ctx.logDir,
        namespace: ns("S2"),
        transporter: ctx.natsUrl,
      });
      const load = await withProcs(d.nodes, () => runLoad(readSpec(ctx, d.url, productPath(ctx)), ctx.workDir));
      reportProfiles(ctx, "S2", ["api", "catalog"], load);
      return fromLoad("S2", this.title, load, "C2");
    },
  },
  {
    id: "S2-cache",
    requires: ["nats-server"],
    title: "S2 with the gateway-side read cache (production default)",
    needs: ["C2"],
    async run(ctx) {
      const d = await deploy({
        layout: [
          { name: "api-cache", services: ["api"], nodeFlags: profileFlags(ctx, "S2-cache", "api") },
          { name: "catalog-cache", services: ["catalog", "inventory"] },
        ],
        seed: ctx.seed,
        workDir: ctx.workDir,
        logDir: ctx.logDir,
        namespace: ns("S2-cache"),
        transporter: ctx.natsUrl,
      });
      const load = await withProcs(d.nodes, () => runLoad(readSpec(ctx, d.url, productPath(ctx)), ctx.workDir));
      reportProfiles(ctx, "S2-cache", ["api"], load);
      return fromLoad("S2-cache", this.title, load, "C2");
    },
  },
  {
    id: "S2-stale",
    requires: ["nats-server"],
    title: "staleness: two gateways over NATS, writes through A, wrk reads through B",
    needs: ["C2"],
    async run(ctx) {
      return staleness(ctx, "S2-stale", this.title, ns("S2-stale"));
    },
  },
  {
    id: "S2-tcp",
    title: "GET /products/:id, gateway and catalog over Moleculer's TCP transporter",
    needs: ["C2"],
    async run(ctx) {
      const ports = [await freePort(), await freePort()];
      const d = await deploy({
        layout: [
          { name: "api-tcp", services: ["api"] },
          { name: "catalog-tcp", services: ["catalog", "inventory"] },
        ],
        seed: ctx.seed,
        workDir: ctx.workDir,
        logDir: ctx.logDir,
        namespace: ns("S2-tcp"),
        // Static peers: no UDP discovery, which loopback-only machines may not carry.
        transporter: (ids) => ids.map((id, i) => `tcp://127.0.0.1:${ports[i]}/${id}`).join(","),
      });
      const load = await withProcs(d.nodes, () => runLoad(readSpec(ctx, d.url, productPath(ctx)), ctx.workDir));
      return fromLoad("S2-tcp", this.title, load, "C2");
    },
  },
  {
    id: "S3",
    requires: ["nats-server"],
    title: "GET /products/:id, gateway and two catalog nodes over NATS, every read crosses NATS",
    needs: ["C2", "S2"],
    async run(ctx) {
      const d = await deploy({
        layout: [
          // As S2 (read cache off), so the two compare: with it on, reads stop at the gateway and never reach a catalog.
          { name: "api-s3", services: ["api"], env: { GATEWAY_CACHE: "false" } },
          { name: "catalog-a", services: ["catalog", "inventory"] },
          { name: "catalog-b", services: ["catalog", "inventory"] },
        ],
        seed: ctx.seed,
        workDir: ctx.workDir,
        logDir: ctx.logDir,
        namespace: ns("S3"),
        transporter: ctx.natsUrl,
      });
      const load = await withProcs(d.nodes, () => runLoad(readSpec(ctx, d.url, productPath(ctx)), ctx.workDir));
      return fromLoad("S3", this.title, load, "C2");
    },
  },
  {
    id: "S4-embedded",
    title: "checkout (cart PUT + POST /orders per user), one process",
    needs: ["C1"],
    async run(ctx) {
      const missing = checkoutMissing();
      if (missing) return skipped("S4-embedded", this.title, missing);
      const d = await deploy({
        layout: [
          { name: "embedded-s4", services: builtServices(ROOT), nodeFlags: profileFlags(ctx, "S4", "embedded") },
        ],
        seed: ctx.seed,
        workDir: ctx.workDir,
        logDir: ctx.logDir,
        namespace: ns("S4e"),
      });
      const { load, spec } = await withProcs(d.nodes, () => checkoutLoad(ctx, d, "s4e", checkoutSteps));
      reportProfiles(ctx, "S4", ["embedded"], load);
      return {
        ...checkoutResult("S4-embedded", this.title, load, "C1"),
        generatorReqPerSec: await generatorAlone(ctx, spec),
      };
    },
  },
  {
    id: "S4-nats",
    requires: ["nats-server"],
    title: "checkout, one node per service over NATS",
    needs: ["C2"],
    async run(ctx) {
      const missing = checkoutMissing();
      if (missing) return skipped("S4-nats", this.title, missing);
      const d = await deploy({
        layout: perServiceLayout(ctx, "S4n"),
        seed: ctx.seed,
        workDir: ctx.workDir,
        logDir: ctx.logDir,
        namespace: ns("S4n"),
        transporter: ctx.natsUrl,
      });
      let rss: Record<string, number | null> = {};
      const { load, spec } = await withProcs(d.nodes, async () => {
        const result = await checkoutLoad(ctx, d, "s4n", checkoutSteps);
        rss = rssOf(d.nodes);
        return result;
      });
      reportProfiles(
        ctx,
        "S4n",
        d.nodes.map((n) => n.name),
        load,
      );
      const res = checkoutResult("S4-nats", this.title, load, "C2");
      return { ...res, rssMb: rss, generatorReqPerSec: await generatorAlone(ctx, spec) };
    },
  },
  {
    id: "S5-1",
    requires: ["nats-server", "taskset"],
    title: "POST /auth/login (argon2id), one users node on one core",
    async run(ctx) {
      return login(ctx, "S5-1", this.title, ["1"]);
    },
  },
  {
    id: "S5-2",
    requires: ["nats-server", "taskset"],
    title: "POST /auth/login, two users nodes, one core each",
    needs: ["S5-1"],
    async run(ctx) {
      return login(ctx, "S5-2", this.title, ["0", "1"]);
    },
  },
  {
    id: "S6",
    requires: ["nats-server"],
    title: "start-up to ready per single-service node; RSS after warm-up",
    async run(ctx) {
      return startup(ctx, this.title);
    },
  },
  {
    id: "W1",
    title: "storefront: page budgets at rest; GET / (catalog page HTML) under load, one process",
    needs: ["C1"],
    async run(ctx) {
      return storefrontBudgets(ctx, "W1", this.title);
    },
  },
  {
    id: "S7",
    requires: ["nats-server"],
    title: "shop mix (list 10 : get 3 : cart 2 : checkout 1) over NATS",
    needs: ["C2"],
    async run(ctx) {
      const missing = checkoutMissing();
      if (missing) return skipped("S7", this.title, missing);
      const d = await deploy({
        layout: perServiceLayout(ctx, "S7"),
        seed: ctx.seed,
        workDir: ctx.workDir,
        logDir: ctx.logDir,
        namespace: ns("S7"),
        transporter: ctx.natsUrl,
      });
      const { load, spec } = await withProcs(d.nodes, () => checkoutLoad(ctx, d, "s7", mixSteps));
      return {
        ...fromLoad("S7", this.title, load, "C2", "Per-route latencies below; req/s counts every request of the mix."),
        generatorReqPerSec: await generatorAlone(ctx, spec),
      };
    },
  },
];

function checkoutResult(id: string, title: string, load: LoadResult, ceiling: string): ScenarioResult {
  const checkout = load.routes.checkout;
  return {
    ...fromLoad(id, title, load, ceiling),
    // A checkout is the POST /orders; its cart PUT runs in the same loop and shares the connection.
    reqPerSec: checkout.reqPerSec,
    p50Ms: checkout.p50Ms,
    p99Ms: checkout.p99Ms,
    p999Ms: checkout.p999Ms,
    note: `req/s and latency are those of POST /orders (confirmed checkouts/s: ${
      Math.round(((checkout.statuses["201"] ?? 0) / load.durationSec) * 10) / 10
    }); each user's loop also sets its cart (PUT /cart/items) before every checkout, because a confirmed order empties it.`,
  };
}

async function login(ctx: BenchContext, id: string, title: string, cores: string[]): Promise<ScenarioResult> {
  const admin = { email: "bench-admin@example.com", password: "bench-admin-password" };
  const d = await deploy({
    layout: [
      { name: `api-${id}`, services: ["api"] },
      // ADMIN_EMAIL makes every users node create the same account at start, so a
      // login succeeds on whichever node the gateway balances it to.
      ...cores.map((cpu) => ({
        name: `users-${id}-cpu${cpu}`,
        services: ["users"],
        cpus: cpu,
        env: { UV_THREADPOOL_SIZE: "1", ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password },
      })),
    ],
    seed: ctx.seed,
    workDir: ctx.workDir,
    logDir: ctx.logDir,
    namespace: ns(id),
    transporter: ctx.natsUrl,
    probe: async (url) =>
      (await json(`${url}/api/v1/auth/login`, { method: "POST", body: JSON.stringify(admin) })).status === 200,
  });
  const spec: LoadSpec = {
    url: d.url,
    connections: 8,
    durationSec: ctx.opts.durationSec,
    warmupSec: ctx.opts.warmupSec,
    sequence: [{ route: "login", method: "POST", path: "/api/v1/auth/login", body: admin }],
  };
  const load = await withProcs(d.nodes, () => runLoad(spec, ctx.workDir));
  return {
    ...fromLoad(
      id,
      title,
      load,
      id === "S5-2" ? "S5-1" : null,
      `users nodes pinned with taskset -c ${cores.join(",")}, UV_THREADPOOL_SIZE=1.`,
    ),
    generatorReqPerSec: await generatorAlone(ctx, spec),
  };
}

async function startup(ctx: BenchContext, title: string): Promise<ScenarioResult> {
  const services = builtServices(ROOT);
  const startupMs: Record<string, number> = {};
  const rss: Record<string, number | null> = {};
  // Every service's dependencies run in a support node, so each measured node becomes ready on its own.
  const support = await deploy({
    layout: [{ name: "s6-support", services }],
    seed: ctx.seed,
    workDir: ctx.workDir,
    logDir: ctx.logDir,
    namespace: ns("S6"),
    transporter: ctx.natsUrl,
  });
  try {
    for (const service of services) {
      const port = service === "api" ? await freePort() : undefined;
      const node = await spawnAgora({
        name: `s6-${service}`,
        services: [service],
        logDir: ctx.logDir,
        namespace: ns("S6"),
        transporter: ctx.natsUrl,
        port,
        env: { DATA_DIR: ":memory:", JWT_SECRET: "bench-only-jwt-secret-0123456789abcdef" },
      });
      try {
        const readyAt = await node.waitForLog(READY_LINE, 30_000);
        startupMs[service] = Math.round(readyAt - node.spawnedAt);
        // Warm-up: let timers, discovery and the first calls settle before reading RSS.
        await new Promise((r) => setTimeout(r, 2000));
        rss[`${service} (idle)`] = rssMb(node.pid);
      } finally {
        await node.stop();
      }
    }
  } finally {
    await support.stop();
  }
  const worstStart = Math.max(...Object.values(startupMs));
  const worstRss = Math.max(...Object.values(rss).map((v) => v ?? 0));
  return {
    id: "S6",
    title,
    reqPerSec: null,
    p50Ms: null,
    p99Ms: null,
    p999Ms: null,
    errors: 0,
    non2xx: 0,
    ceiling: null,
    ratioToCeiling: null,
    startupMs,
    rssMb: rss,
    target: {
      text: `≤ 1000 ms to ready, ≤ 100 MB RSS (worst: ${worstStart} ms, ${worstRss} MB)`,
      met: worstStart <= 1000 && worstRss <= 100,
    },
    note: "Start → ready: spawn of `moleculer-runner` (dist/, NODE_ENV=production) until the broker logs that it started; polled every 10 ms.",
  };
}
