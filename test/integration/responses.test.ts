import { randomUUID } from "node:crypto";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { Validators, type Context, type Middleware, type Service } from "moleculer";
import config from "../../moleculer.config";
import { serviceContracts, type AuthResult, type Notification, type Order, type Product } from "../../contracts";
import { contractActions } from "../../platform/contracts/declared";
import { request, type JsonResponse, type RequestOptions } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";
import { eventually } from "../helpers/processes";

/**
 * Every answer matches the OpenAPI document: each route of the served
 * document is called over real HTTP, every service on one broker, and each
 * answer's status must be one the route documents and its body must match
 * that response's schema (the contracts' result schemas for success, the
 * gateway's error body otherwise). A provider whose answer drifts from what
 * its contract declares, or a leaked field (strict objects), fails here.
 * Behind the routes, every contract action the calls run (internal ones
 * too: the checkout saga's steps, token resolution, ...) has its answer
 * checked against its result schema where it runs.
 */

const ALL = ["api", "users", "catalog", "inventory", "cart", "payments", "orders", "notifications"];
const ADMIN = { email: "responses-admin@example.com", password: "responses-admin-password" };
const YEAR = new Date().getUTCFullYear() + 2;

type Schema = Record<string, unknown>;
type Responses = Record<string, { content?: Record<string, { schema?: Schema }> }>;
interface Doc {
  paths: Record<string, Record<string, { responses: Responses }>>;
  components: Record<string, unknown>;
}

let node: TestNode;
let doc: Doc;
let admin: string;
let customer: string;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>();
/** "GET /api/v1/products/{id} 200": each route and status an answer was checked for. */
const seen = new Set<string>();
/** The contract actions that answered, and the answers that did not match their result schema. */
const answered = new Set<string>();
const mismatches: string[] = [];

/** Checks each local contract action's answer against its result schema (fastest-validator, as params are). */
function ResultsChecked(): Middleware {
  const validator = new Validators.Fastest();
  const checks = new Map(
    [...contractActions(serviceContracts)].map(([name, def]) => [
      name,
      validator.compile({ $$root: true, ...def.result }) as unknown as (value: unknown) => true | unknown[],
    ]),
  );
  return {
    name: "ResultsChecked",
    localAction(handler, action) {
      const check = action.name ? checks.get(action.name) : undefined;
      if (!check) return handler;
      return async function checkedAnswer(this: Service, ctx: Context) {
        const result = await handler.call(this, ctx);
        const outcome = check(result);
        answered.add(action.name!);
        if (outcome !== true)
          mismatches.push(`${action.name}: ${JSON.stringify(outcome)} in ${JSON.stringify(result)}`);
        return result;
      };
    },
  };
}

function validatorFor(schema: Schema): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    // `#/components/...` references resolve against the document's components.
    validate = ajv.compile({ ...schema, components: doc.components });
    validators.set(key, validate);
  }
  return validate;
}

/** Sends the request and checks the answer against the document's route `template` (its path with {params}). */
async function checked<T = unknown>(
  method: string,
  template: string,
  path: string = template,
  opts: RequestOptions = {},
): Promise<JsonResponse<T>> {
  const res = await request<T>(node.url, method, path, opts);
  const operation = doc.paths[template]?.[method.toLowerCase()];
  const where = `${method} ${path} → ${res.status}`;
  if (!operation) throw new Error(`${method} ${template} is not in the document`);
  const documented = operation.responses[String(res.status)];
  if (!documented) throw new Error(`${where}: status not documented (${Object.keys(operation.responses).join(", ")})`);
  const type = (res.headers.get("content-type") ?? "").split(";")[0].trim();
  const content = documented.content ?? {};
  if (!content[type]) throw new Error(`${where}: ${type} not documented (${Object.keys(content).join(", ")})`);
  const schema = content[type].schema ?? {};
  const body = type === "application/json" ? res.body : res.text;
  const validate = validatorFor(schema);
  if (!validate(body)) {
    throw new Error(`${where}: answer does not match the documented schema: ${ajv.errorsText(validate.errors)}
${res.text.slice(0, 2000)}`);
  }
  seen.add(`${method} ${template} ${res.status}`);
  return res;
}

beforeAll(async () => {
  process.env.ADMIN_EMAIL = ADMIN.email;
  process.env.ADMIN_PASSWORD = ADMIN.password;
  node = await startNode(ALL, { middlewares: [...(config.middlewares ?? []), ResultsChecked()] });
  doc = (await request<Doc>(node.url, "GET", "/api/openapi.json")).body;
  const login = await request<AuthResult>(node.url, "POST", "/api/v1/auth/login", { body: ADMIN });
  admin = login.body.token;
});
afterAll(async () => {
  await node?.stop();
});

it("every route of the document documents a success answer with a schema, and the error body", () => {
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const success = Object.keys(op.responses).filter((s) => s.startsWith("2"));
      expect({ route: `${method} ${path}`, success: success.length }).toEqual({
        route: `${method} ${path}`,
        success: 1,
      });
      for (const [status, response] of Object.entries(op.responses)) {
        expect({
          route: `${method} ${path} ${status}`,
          content: Object.keys(response.content ?? {}).length > 0,
        }).toEqual({ route: `${method} ${path} ${status}`, content: true });
      }
    }
  }
});

it("auth and the caller's own user", async () => {
  const email = `responses-${randomUUID()}@example.com`;
  const registered = await checked<AuthResult>("POST", "/api/v1/auth/register", undefined, {
    body: { email, password: "password-123", name: "Responder" },
  });
  expect(registered.status).toBe(201);
  customer = registered.body.token;
  expect(
    (await checked("POST", "/api/v1/auth/login", undefined, { body: { email, password: "password-123" } })).status,
  ).toBe(200);
  expect(
    (await checked("POST", "/api/v1/auth/login", undefined, { body: { email, password: "wrong-password" } })).status,
  ).toBe(401);
  expect((await checked("POST", "/api/v1/auth/register", undefined, { body: { email } })).status).toBe(422);
  expect(
    (
      await checked("POST", "/api/v1/auth/register", undefined, {
        rawBody: "{",
        headers: { "content-type": "application/json" },
      })
    ).status,
  ).toBe(400);
  expect((await checked("GET", "/api/v1/me", undefined, { token: customer })).status).toBe(200);
  expect((await checked("GET", "/api/v1/me")).status).toBe(401);
});

it("products, stock and recommendations", async () => {
  const input = {
    sku: `RSP-${randomUUID().slice(0, 8)}`,
    name: "Response Lamp",
    priceCents: 4200,
    currency: "EUR",
    category: "home",
  };
  const created = await checked<Product>("POST", "/api/v1/products", undefined, { body: input, token: admin });
  expect(created.status).toBe(201);
  expect((await checked("POST", "/api/v1/products", undefined, { body: input, token: customer })).status).toBe(403);
  const id = created.body.id;
  const byId = "/api/v1/products/{id}";
  expect(
    (
      await checked("PUT", "/api/v1/inventory/{productId}", `/api/v1/inventory/${id}`, {
        body: { quantity: 5 },
        token: admin,
      })
    ).status,
  ).toBe(200);
  expect((await checked("GET", byId, `/api/v1/products/${id}`)).status).toBe(200);
  // Twice: the second answer comes from the gateway's read cache.
  expect((await checked("GET", "/api/v1/products", "/api/v1/products?pageSize=5&sort=-createdAt")).status).toBe(200);
  expect((await checked("GET", "/api/v1/products", "/api/v1/products?pageSize=5&sort=-createdAt")).status).toBe(200);
  expect((await checked("GET", "/api/v1/products", "/api/v1/products?pageSize=1000")).status).toBe(422);
  expect((await checked("GET", byId, `/api/v1/products/${"0".repeat(24)}`)).status).toBe(404);
  const recommended = `/api/v1/products/${id}/recommendations`;
  expect((await checked("GET", "/api/v1/products/{id}/recommendations", recommended)).status).toBe(200);
  expect(
    (await checked("PATCH", byId, `/api/v1/products/${id}`, { body: { name: "Renamed Lamp" }, token: admin })).status,
  ).toBe(200);
  const other = await checked<Product>("POST", "/api/v1/products", undefined, {
    body: { ...input, sku: `RSP-${randomUUID().slice(0, 8)}` },
    token: admin,
  });
  expect((await checked("DELETE", byId, `/api/v1/products/${other.body.id}`, { token: admin })).status).toBe(200);
});

it("cart, checkout, orders and notifications", async () => {
  const product = await checked<Product>("POST", "/api/v1/products", undefined, {
    body: {
      sku: `RSP-${randomUUID().slice(0, 8)}`,
      name: "Response Mug",
      priceCents: 1500,
      currency: "EUR",
      category: "test",
    },
    token: admin,
  });
  const productId = product.body.id;
  await checked("PUT", "/api/v1/inventory/{productId}", `/api/v1/inventory/${productId}`, {
    body: { quantity: 10 },
    token: admin,
  });
  const item = "/api/v1/cart/items/{productId}";
  const token = customer;
  expect((await checked("GET", "/api/v1/cart", undefined, { token })).status).toBe(200);
  expect((await checked("PUT", item, `/api/v1/cart/items/${productId}`, { body: { quantity: 2 }, token })).status).toBe(
    200,
  );
  expect((await checked("DELETE", item, `/api/v1/cart/items/${productId}`, { token })).status).toBe(200);
  expect((await checked("DELETE", "/api/v1/cart", undefined, { token })).status).toBe(200);
  await checked("PUT", item, `/api/v1/cart/items/${productId}`, { body: { quantity: 2 }, token });

  const payment = { cardNumber: "4242424242424242", expMonth: 12, expYear: YEAR, cvc: "123" };
  const order = await checked<Order>("POST", "/api/v1/orders", undefined, {
    body: { payment },
    token,
    headers: { "idempotency-key": randomUUID() },
  });
  expect(order.status).toBe(201);
  // Declined: a FAILED order in the error's data.
  await checked("PUT", item, `/api/v1/cart/items/${productId}`, { body: { quantity: 1 }, token });
  const declined = await checked("POST", "/api/v1/orders", undefined, {
    body: { payment: { ...payment, cardNumber: "4000000000000002" } },
    token,
    headers: { "idempotency-key": randomUUID() },
  });
  expect(declined.status).toBe(402);
  // Rejected: more than the stock left, a REJECTED order in the error's data.
  await checked("PUT", item, `/api/v1/cart/items/${productId}`, { body: { quantity: 50 }, token });
  const rejected = await checked("POST", "/api/v1/orders", undefined, {
    body: { payment },
    token,
    headers: { "idempotency-key": randomUUID() },
  });
  expect(rejected.status).toBe(409);

  expect((await checked("GET", "/api/v1/orders", undefined, { token })).status).toBe(200);
  expect((await checked("GET", "/api/v1/orders/{id}", `/api/v1/orders/${order.body.id}`, { token })).status).toBe(200);
  expect((await checked("GET", "/api/v1/orders/{id}", `/api/v1/orders/${"0".repeat(24)}`, { token })).status).toBe(404);
  // The confirmed order's notification arrives through the outbox.
  await eventually(async () => {
    const notifications = await checked<Notification[]>("GET", "/api/v1/notifications", undefined, { token });
    return notifications.body.length > 0;
  });
});

it("probes, status, the document itself and the icon", async () => {
  for (const path of [
    "/healthz",
    "/readyz",
    "/status",
    "/status.json",
    "/api/openapi.json",
    "/api/docs/agora-init.js",
    "/favicon.ico",
  ]) {
    await checked("GET", path);
  }
  const docs = Object.keys(doc.paths).find((p) => p.startsWith("/api/docs") && !p.endsWith(".js"));
  await checked("GET", docs!);
  await checked("GET", "/status.json", undefined, { token: admin });
});

it("every contract action that ran answered what its contract declares", () => {
  expect(mismatches).toEqual([]);
  // Internal actions ran too, not only the REST ones.
  expect([...answered]).toEqual(
    expect.arrayContaining([
      "users.resolveToken",
      "cart.snapshot",
      "inventory.reserve",
      "inventory.commit",
      "payments.charge",
      "notifications.record",
    ]),
  );
});

it("called every route of the document with an answer it documents", () => {
  const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
  const missing = routes.filter((route) => ![...seen].some((s) => s.startsWith(`${route} 2`)));
  expect(missing).toEqual([]);
});
