import fs from "node:fs";
import path from "node:path";
import { eventually, freePort, sleep, spawnAgora, type AgoraProc } from "./procs";

/**
 * Setting up the shop for a scenario, outside the timed part: seed data, a
 * deployment (one process or several over a transporter), registered users
 * with a token each.
 */

export const ALL_SERVICES = ["api", "catalog", "inventory", "users", "cart", "orders", "payments", "notifications"];

/** Services present in the compiled build (the shop lands service by service). */
export function builtServices(root: string): string[] {
  return ALL_SERVICES.filter((s) => fs.existsSync(path.join(root, `dist/services/${s}/${s}.service.js`)));
}

/** Enough stock that no checkout of the run is rejected for stock. */
export const BENCH_STOCK = 1_000_000_000;

/** A card the simulated payment provider approves. */
export const APPROVED_CARD = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" };

export async function json<T>(url: string, init: RequestInit & { token?: string; body?: string } = {}) {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (init.body) headers["content-type"] = "application/json";
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body: body as T, text };
}

export interface Seed {
  dir: string;
  productIds: string[];
  /** The body of GET /api/v1/products/:id for productIds[0]: the ceilings answer the same. */
  productBody: unknown;
}

/**
 * Seeds a data directory once (demo catalog, stock for every product) with a
 * node of its own; every node of every scenario then starts from a copy, so
 * all catalog replicas know the same product ids.
 */
export async function seedData(workDir: string, logDir: string, namespace: string): Promise<Seed> {
  const dir = path.join(workDir, "seed");
  fs.rmSync(dir, { recursive: true, force: true });
  const port = await freePort();
  const node = await spawnAgora({
    name: "seed",
    services: ["api", "catalog", "inventory"],
    logDir,
    namespace,
    port,
    env: { DATA_DIR: dir, INVENTORY_INITIAL_STOCK: String(BENCH_STOCK) },
  });
  try {
    await node.waitForLog(/started successfully/);
    const list = await eventually(async () => {
      const res = await json<{ rows: { id: string; available: number }[] }>(
        `${node.url}/api/v1/products?pageSize=100&sort=name`,
      );
      return res.status === 200 && res.body.rows.length > 0 && res.body.rows.every((p) => p.available > 0)
        ? res.body
        : null;
    });
    const productIds = list.rows.map((p) => p.id);
    const product = await json(`${node.url}/api/v1/products/${productIds[0]}`);
    return { dir, productIds, productBody: product.body };
  } finally {
    await node.stop();
  }
}

/** A private copy of the seeded data for one node (NeDB files belong to one process). */
export function dataCopy(seed: Seed, workDir: string, name: string): string {
  const dir = path.join(workDir, "data", name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // With `--env DATA_DIR=:memory:` nothing was written: every node seeds the same demo catalog (ids derive from the sku).
  if (!fs.existsSync(seed.dir)) return dir;
  for (const file of fs.readdirSync(seed.dir)) {
    if (file.endsWith(".db")) fs.copyFileSync(path.join(seed.dir, file), path.join(dir, file));
  }
  return dir;
}

export interface Deployment {
  url: string;
  nodes: AgoraProc[];
  stop(): Promise<void>;
}

export interface NodeLayout {
  name: string;
  services: string[];
  env?: NodeJS.ProcessEnv;
  cpus?: string;
  nodeFlags?: string[];
}

/**
 * Starts the nodes (one of them runs "api"), waits for each to report
 * started, then for the gateway to answer `probe`.
 */
export async function deploy(opts: {
  layout: NodeLayout[];
  seed: Seed;
  workDir: string;
  logDir: string;
  namespace: string;
  transporter?: string | ((nodeIDs: string[]) => string);
  env?: NodeJS.ProcessEnv;
  /** The compiled build its nodes run (dist). */
  build?: string;
  /** True once the deployment serves what the scenario needs (default: a product read). */
  probe?: (url: string) => Promise<boolean>;
}): Promise<Deployment> {
  const port = await freePort();
  const nodeIDs = opts.layout.map((n) => `${n.name}-${process.pid}`);
  const transporter = typeof opts.transporter === "function" ? opts.transporter(nodeIDs) : opts.transporter;
  const nodes = await Promise.all(
    opts.layout.map((n, i) =>
      spawnAgora({
        name: n.name,
        services: n.services,
        logDir: opts.logDir,
        namespace: opts.namespace,
        transporter,
        port: n.services.includes("api") ? port : undefined,
        cpus: n.cpus,
        nodeFlags: n.nodeFlags,
        build: opts.build,
        env: {
          NODE_ID: nodeIDs[i],
          DATA_DIR: dataCopy(opts.seed, opts.workDir, `${opts.namespace}-${n.name}`),
          INVENTORY_INITIAL_STOCK: String(BENCH_STOCK),
          AUTH_RATE_LIMIT: "1000000000",
          JWT_SECRET: "bench-only-jwt-secret-0123456789abcdef",
          ...opts.env,
          ...n.env,
        },
      }),
    ),
  );
  const deployment: Deployment = {
    url: `http://127.0.0.1:${port}`,
    nodes,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
  try {
    await Promise.all(nodes.map((n) => n.waitForLog(/started successfully/, 90_000)));
    const probe =
      opts.probe ??
      (async (url: string) => (await json(`${url}/api/v1/products/${opts.seed.productIds[0]}`)).status === 200);
    await eventually(() => probe(deployment.url));
    // Every node has announced itself by now; give the gateway a moment to hear the last of them.
    await sleep(1000);
  } catch (err) {
    await deployment.stop();
    throw err;
  }
  return deployment;
}

/** Registers `count` customers (a few at a time: each costs a password hash) and returns their tokens. */
export async function registerUsers(url: string, count: number, tag: string): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 4) {
    const batch = Array.from({ length: Math.min(4, count - i) }, (_, j) => i + j);
    const results = await Promise.all(
      batch.map((n) =>
        eventually(async () => {
          const res = await json<{ token: string }>(`${url}/api/v1/auth/register`, {
            method: "POST",
            body: JSON.stringify({
              email: `bench-${tag}-${n}@example.com`,
              password: "bench-password-1",
              name: `B ${n}`,
            }),
          });
          if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
          return res.body.token;
        }, 20_000),
      ),
    );
    tokens.push(...results);
  }
  return tokens;
}

/** One checkout done by hand: proves the whole path works before anything is timed. */
export async function probeCheckout(url: string, token: string, productId: string): Promise<void> {
  await eventually(async () => {
    const put = await json(`${url}/api/v1/cart/items/${productId}`, {
      method: "PUT",
      token,
      body: JSON.stringify({ quantity: 1 }),
    });
    if (put.status !== 200) throw new Error(`cart: ${put.status} ${put.text}`);
    const order = await json(`${url}/api/v1/orders`, {
      method: "POST",
      token,
      headers: { "idempotency-key": `probe-${Date.now()}-${Math.random()}` },
      body: JSON.stringify({ payment: APPROVED_CARD }),
    });
    if (order.status !== 201) throw new Error(`checkout: ${order.status} ${order.text}`);
    return true;
  }, 30_000);
}
