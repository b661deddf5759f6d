import http from "node:http";
import path from "node:path";
import fc from "fast-check";
import type { AuthResult, Page, Product } from "../../contracts";
import { request } from "../helpers/http";
import { visitor } from "../helpers/storefront-forms";
import { PAGE_ALIASES, SIGN_IN_ALIASES } from "../../services/web/web.routes";
import { startAgoraNode, stopAll, type AgoraNode } from "../helpers/processes";
import {
  describeRequest,
  hostileRequest,
  operationsOf,
  type HostileRequest,
  type Operation,
  type Role,
} from "./hostile-requests";
import { storefrontRequest, storefrontRoutes, type Visitors } from "./storefront-requests";

/**
 * Property-based hostile input against one production node with every
 * service, over real HTTP. Requests come from the gateway's own OpenAPI
 * document (every path, its methods and the others) with wrong types, huge,
 * deep and wide values, Mongo operators, prototype keys, bad encodings and
 * content types, huge headers and URLs, odd path parameters, as each role.
 *
 *   never a 5xx; no stack trace or file path in any body; every error is JSON
 *   with a message; a rejected request changes nothing stored (read back
 *   through the API); afterwards the node answers and stops cleanly.
 *
 * The storefront's page and form routes (not in the document) get the same
 * pass with the hazards of a browser's requests: sessions real, forged and
 * oversized, form tokens good, missing, forged and another visitor's, foreign
 * origins, nested and operator-shaped form fields, bytes that are not UTF-8.
 * Their errors are HTML pages (a 405 stays JSON) and must say something.
 *
 * FUZZ_SEED replays a run (the seed is printed); FUZZ_RUNS sets the number of
 * requests (the storefront pass sends half as many).
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261130;
const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 600;
const ROOT = path.resolve(__dirname, "../..");
const ALL = ["api", "users", "catalog", "inventory", "cart", "payments", "orders", "notifications", "web"];
const ADMIN = { email: "fuzz-admin@example.com", password: "fuzz-admin-password" };
const CUSTOMER = { email: "fuzz-customer@example.com", password: "fuzz-customer-password", name: "Fuzz" };

let node: AgoraNode;
const tokens: Record<Role, string | undefined> = {
  anonymous: undefined,
  customer: undefined,
  admin: undefined,
  "bad token": "not.a.token",
};

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends one generated request and counts its status; with no answer, says what the node printed last. */
async function answerTo(r: HostileRequest, statuses: Map<number, number>): Promise<Answer> {
  let answer: Answer;
  try {
    answer = await send(r);
  } catch (err) {
    throw new Error(`no answer (${String(err)}) to\n${describeRequest(r)}\n${node.output().slice(-2000)}`);
  }
  statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  return answer;
}

/** One request over its own connection, sent exactly as generated (node:http, not fetch, which rewrites some). */
function send(r: HostileRequest, baseUrl = node.url): Promise<Answer> {
  const { port } = new URL(baseUrl);
  const headers: Record<string, string> = { ...r.headers };
  const token = tokens[r.role];
  if (token) headers.authorization = `Bearer ${token}`;
  if (r.body) headers["content-length"] = String(r.body.length);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method: r.method, path: r.target, headers, agent: false, timeout: 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 15 s")));
    req.on("error", reject);
    req.end(r.body);
  });
}

const STACK = /\bat .+[\\/].+\.(js|ts|mjs):\d+/;

function problemsWith(r: HostileRequest, a: Answer): string[] {
  const problems: string[] = [];
  if (a.status >= 500) problems.push(`a ${a.status}`);
  if (STACK.test(a.body)) problems.push("a stack trace in the body");
  if (a.body.includes(ROOT) || a.body.includes("node_modules")) problems.push("a file path in the body");
  const bodiless = r.method === "HEAD" || a.status === 204 || a.status === 304;
  if (a.status >= 400 && !bodiless) {
    let parsed: { message?: unknown; code?: unknown } | undefined;
    try {
      parsed = JSON.parse(a.body) as typeof parsed;
    } catch {
      parsed = undefined;
    }
    if (!String(a.headers["content-type"]).startsWith("application/json")) {
      problems.push(`content-type ${a.headers["content-type"]}`);
    }
    if (typeof parsed?.message !== "string" || !parsed.message) problems.push("an error body without a message");
    else if (parsed.code !== a.status) problems.push(`code ${String(parsed.code)} in a ${a.status} body`);
  }
  return problems;
}

/** A storefront answer: never a 5xx or a stack; an error is an HTML page with a heading, or the gateway's JSON. */
function pageProblemsWith(r: HostileRequest, a: Answer): string[] {
  const type = String(a.headers["content-type"]);
  if (a.status < 400 || !type.startsWith("text/html")) return problemsWith(r, a);
  const problems: string[] = [];
  if (a.status >= 500) problems.push(`a ${a.status}`);
  if (STACK.test(a.body)) problems.push("a stack trace in the body");
  if (a.body.includes(ROOT) || a.body.includes("node_modules")) problems.push("a file path in the body");
  if (r.method !== "HEAD" && !/<h1>[^<]+<\/h1>/.test(a.body)) problems.push("an error page without a heading");
  return problems;
}

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

/** What a rejected request must not change, read through the API as the admin and the customer see it. */
async function snapshot(productId: string): Promise<Record<string, unknown>> {
  const as = (role: "admin" | "customer") => ({ token: tokens[role] });
  const [products, product, cart, orders, customer, admin] = await Promise.all([
    request<Page<Product>>(node.url, "GET", "/api/v1/products?pageSize=100", as("admin")),
    request(node.url, "GET", `/api/v1/products/${productId}`, as("admin")),
    request(node.url, "GET", "/api/v1/cart", as("customer")),
    request(node.url, "GET", "/api/v1/orders?pageSize=100", as("customer")),
    request(node.url, "GET", "/api/v1/me", as("customer")),
    request(node.url, "GET", "/api/v1/me", as("admin")),
  ]);
  return {
    products: [products.status, products.body.total, [...(products.body.rows ?? [])].sort(byId)],
    product: [product.status, product.body],
    cart: [cart.status, cart.body],
    orders: [orders.status, orders.body],
    users: [customer.status, customer.body, admin.status, admin.body],
  };
}

/**
 * A failed checkout is the one rejection that stores something on purpose: the
 * FAILED or REJECTED order in `data.order` (docs/api.md). Everything else stays.
 */
function failedCheckoutOrder(r: HostileRequest, a: Answer): string | undefined {
  if (r.method === "POST" && r.target.split("?")[0] === "/checkout") return "a failed order";
  if (r.method !== "POST" || !r.target.startsWith("/api/v1/orders")) return undefined;
  try {
    return (JSON.parse(a.body) as { data?: { order?: { id?: string } } }).data?.order?.id;
  } catch {
    return undefined;
  }
}

describe(`hostile input over every route of the OpenAPI document (FUZZ_SEED=${SEED}, ${RUNS} requests)`, () => {
  let productId: string;
  let doc: Parameters<typeof operationsOf>[0];

  beforeAll(async () => {
    node = await startAgoraNode({
      services: ALL,
      env: {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        JWT_SECRET: "fuzz-test-secret-fuzz-test-secret-0123",
        // Login and register must reach their validation, not the rate limit.
        AUTH_RATE_LIMIT: "1000000",
        LOGLEVEL: "warn,BROKER=info",
      },
    });
    tokens.admin = (await request<AuthResult>(node.url, "POST", "/api/v1/auth/login", { body: ADMIN })).body.token;
    tokens.customer = (
      await request<AuthResult>(node.url, "POST", "/api/v1/auth/register", { body: CUSTOMER })
    ).body.token;
    const products = await request<Page<Product>>(node.url, "GET", "/api/v1/products?pageSize=100");
    productId = products.body.rows[0].id;
    // Something in the cart, stock to sell, an order: state a bad request could damage.
    await request(node.url, "PUT", `/api/v1/inventory/${productId}`, { token: tokens.admin, body: { quantity: 500 } });
    await request(node.url, "PUT", `/api/v1/cart/items/${productId}`, {
      token: tokens.customer,
      body: { quantity: 1 },
    });
    const order = await request(node.url, "POST", "/api/v1/orders", {
      token: tokens.customer,
      headers: { "idempotency-key": "fuzz-first-order" },
      body: { payment: { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" } },
    });
    expect(order.status).toBe(201);
    await request(node.url, "PUT", `/api/v1/cart/items/${productId}`, {
      token: tokens.customer,
      body: { quantity: 2 },
    });
    doc = (await request<typeof doc>(node.url, "GET", "/api/openapi.json")).body;
    process.stdout.write(`hostile input: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}\n`);
  }, 120_000);

  afterAll(async () => {
    await stopAll();
  });

  it("never a 5xx, never a stack trace, errors are JSON, a rejected request changes nothing", async () => {
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(20);
    const fixtures = { ids: [productId] };
    const arbitrary = fc.oneof(...ops.map((op) => hostileRequest(op, fixtures)));
    let before = await snapshot(productId);
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(arbitrary, async (r) => {
        // Once the node is gone, no request can say anything: report the one that ended it.
        fc.pre(node.child.exitCode === null && node.child.signalCode === null);
        const answer = await answerTo(r, statuses);
        const problems = problemsWith(r, answer);
        if (problems.length) {
          throw new Error(
            `${problems.join(", ")} for\n${describeRequest(r)}\n  → ${answer.status} ${answer.body.slice(0, 300)}`,
          );
        }
        const after = await snapshot(productId);
        if (answer.status >= 400) {
          const failedOrder = failedCheckoutOrder(r, answer);
          const changed = Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
          const allowed = failedOrder ? ["orders"] : [];
          const unexpected = changed.filter((k) => !allowed.includes(k));
          if (unexpected.length) {
            throw new Error(
              `a rejected request (${answer.status}) changed ${unexpected.join(", ")}:\n${describeRequest(r)}\n` +
                `  → ${answer.body.slice(0, 300)}`,
            );
          }
          if (failedOrder && changed.includes("orders")) {
            const ids = (o: Record<string, unknown>) =>
              ((o.orders as [number, Page<{ id: string }>])[1]?.rows ?? []).map((x) => x.id).sort();
            expect(ids(after)).toEqual([...ids(before), failedOrder].sort());
          }
        }
        before = after;
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: false },
    );

    process.stdout.write(`hostile input statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    // The run reached past the first checks: some requests were served, some refused.
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  }, 600_000);

  it("every storefront page and form route: never a 5xx or a stack, a rejected request changes nothing", async () => {
    const routes = storefrontRoutes({ ...PAGE_ALIASES, ...SIGN_IN_ALIASES });
    expect(routes.length).toBeGreaterThan(20);
    const visitors: Visitors = {
      anonymous: await visitor(node.url),
      customer: await visitor(node.url, CUSTOMER),
      admin: await visitor(node.url, ADMIN),
    };
    const arbitrary = fc.oneof(...routes.map((route) => storefrontRequest(route, visitors, [productId])));
    let before = await snapshot(productId);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (r) => {
        fc.pre(node.child.exitCode === null && node.child.signalCode === null);
        const answer = await answerTo(r, statuses);
        const problems = pageProblemsWith(r, answer);
        if (problems.length) {
          throw new Error(
            `${problems.join(", ")} for\n${describeRequest(r)} [${r.visit}]\n  → ${answer.status} ${answer.body.slice(0, 300)}`,
          );
        }
        const after = await snapshot(productId);
        if (answer.status >= 400) {
          const allowed = failedCheckoutOrder(r, answer) ? ["orders"] : [];
          const changed = Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
          const unexpected = changed.filter((k) => !allowed.includes(k));
          if (unexpected.length) {
            throw new Error(
              `a rejected request (${answer.status}) changed ${unexpected.join(", ")}:\n${describeRequest(r)}`,
            );
          }
        }
        before = after;
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 2), endOnFailure: false },
    );
    process.stdout.write(`storefront statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s >= 300 && s < 400)).toBe(true);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  }, 600_000);

  it("the probe port (HEALTH_PORT) too: never a 5xx or a stack, errors are JSON with a message", async () => {
    const probe = (p: string): Operation => ({ method: "GET", path: p, pathParams: [], queryParams: [] });
    const ops = ["/healthz", "/readyz", "/healthz/", "/metrics", "/"].map(probe);
    const arbitrary = fc.oneof(...ops.map((op) => hostileRequest(op, { ids: [] })));
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (r) => {
        fc.pre(node.child.exitCode === null && node.child.signalCode === null);
        const answer = await send(r, node.healthUrl);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problems = problemsWith(r, answer);
        if (problems.length) {
          throw new Error(
            `${problems.join(", ")} for\n${describeRequest(r)}\n  → ${answer.status} ${answer.body.slice(0, 300)}`,
          );
        }
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 4), endOnFailure: false },
    );
    process.stdout.write(`probe port statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  }, 300_000);

  it("afterwards the node still answers /healthz and stops cleanly on SIGTERM", async () => {
    expect((await request(node.url, "GET", "/healthz")).status).toBe(200);
    expect((await request(node.healthUrl, "GET", "/healthz")).status).toBe(200);
    expect(await node.stop("SIGTERM", 30_000)).toBe(0);
  }, 60_000);
});
