import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { call, type AuthResult, type Order, type Product } from "../../contracts";
import { request, type JsonResponse } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";
import { assets } from "../../services/web/domain/assets";

/**
 * The authorization matrix: every route of the gateway × four callers
 * (anonymous, a customer, another customer, an admin), each with the exact
 * status it must get. The table is checked against the live alias table, so
 * a route added without a row here (or a row whose route is gone) fails.
 *
 * To add a route: add a row with its "METHOD /path" exactly as the gateway
 * lists it (path params as :name), how to call it, and the four statuses.
 */

type Who = "anonymous" | "customer" | "other" | "admin";
const WHO: Who[] = ["anonymous", "customer", "other", "admin"];

interface Fixtures {
  node: TestNode;
  token: Record<Who, string | undefined>;
  /** An active product with plenty of stock. */
  product: Product;
  /** An order of `customer`. */
  order: Order;
  /** A product made for this call only (for destructive routes). */
  freshProduct(): Promise<Product>;
  /** Puts one unit of the product into the caller's cart. */
  fillCart(who: Who): Promise<void>;
}

interface Call {
  path: string;
  body?: unknown;
  /** A form post, sent as is. */
  form?: string;
  headers?: Record<string, string>;
}

interface Row {
  route: string;
  call: (f: Fixtures, who: Who) => Call | Promise<Call>;
  expect: Record<Who, number>;
}

const allowAll = (status: number) => ({ anonymous: status, customer: status, other: status, admin: status });
const customerRoute = (status: number) => ({ anonymous: 401, customer: status, other: status, admin: status });
const adminRoute = (status: number) => ({ anonymous: 401, customer: 403, other: 403, admin: status });
const uniqueEmail = () => `matrix-${randomUUID()}@example.com`;
const card = { cardNumber: "4242424242424242", expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: "123" };

const matrix: Row[] = [
  // Service routes, not actions.
  { route: "GET /healthz", call: () => ({ path: "/healthz" }), expect: allowAll(200) },
  { route: "GET /favicon.ico", call: () => ({ path: "/favicon.ico" }), expect: allowAll(200) },
  { route: "GET /readyz", call: () => ({ path: "/readyz" }), expect: allowAll(200) },
  { route: "GET /status", call: () => ({ path: "/status" }), expect: allowAll(200) },
  { route: "GET /status.json", call: () => ({ path: "/status.json" }), expect: allowAll(200) },
  { route: "GET /api/openapi.json", call: () => ({ path: "/api/openapi.json" }), expect: allowAll(200) },
  { route: "GET /api/docs", call: () => ({ path: "/api/docs" }), expect: allowAll(200) },
  { route: "GET /api/docs/agora-init.js", call: () => ({ path: "/api/docs/agora-init.js" }), expect: allowAll(200) },

  // users
  {
    route: "POST /api/v1/auth/register",
    call: () => ({ path: "/api/v1/auth/register", body: { email: uniqueEmail(), password: "password-1", name: "M" } }),
    expect: allowAll(201),
  },
  {
    route: "POST /api/v1/auth/login",
    call: () => ({ path: "/api/v1/auth/login", body: { email: CUSTOMER.email, password: CUSTOMER.password } }),
    expect: allowAll(200),
  },
  { route: "GET /api/v1/me", call: () => ({ path: "/api/v1/me" }), expect: customerRoute(200) },

  // catalog
  { route: "GET /api/v1/products", call: () => ({ path: "/api/v1/products" }), expect: allowAll(200) },
  {
    route: "GET /api/v1/products/:id",
    call: (f) => ({ path: `/api/v1/products/${f.product.id}` }),
    expect: allowAll(200),
  },
  {
    // Public, and 200 with no rows when no Go recommendations node runs (as here).
    route: "GET /api/v1/products/:id/recommendations",
    call: (f) => ({ path: `/api/v1/products/${f.product.id}/recommendations` }),
    expect: allowAll(200),
  },
  {
    route: "POST /api/v1/products",
    call: () => ({
      path: "/api/v1/products",
      body: {
        sku: `MX-${randomUUID().slice(0, 8)}`,
        name: "Matrix",
        priceCents: 100,
        currency: "EUR",
        category: "test",
      },
    }),
    expect: adminRoute(201),
  },
  {
    route: "PATCH /api/v1/products/:id",
    call: (f) => ({ path: `/api/v1/products/${f.product.id}`, body: { name: "Renamed" } }),
    expect: adminRoute(200),
  },
  {
    route: "DELETE /api/v1/products/:id",
    call: async (f) => ({ path: `/api/v1/products/${(await f.freshProduct()).id}` }),
    expect: adminRoute(200),
  },

  // inventory
  {
    route: "PUT /api/v1/inventory/:productId",
    call: (f) => ({ path: `/api/v1/inventory/${f.product.id}`, body: { quantity: 1000 } }),
    expect: adminRoute(200),
  },

  // cart: each caller acts on their own cart
  { route: "GET /api/v1/cart", call: () => ({ path: "/api/v1/cart" }), expect: customerRoute(200) },
  {
    route: "PUT /api/v1/cart/items/:productId",
    call: (f) => ({ path: `/api/v1/cart/items/${f.product.id}`, body: { quantity: 2 } }),
    expect: customerRoute(200),
  },
  {
    route: "DELETE /api/v1/cart/items/:productId",
    call: (f) => ({ path: `/api/v1/cart/items/${f.product.id}` }),
    expect: customerRoute(200),
  },
  { route: "DELETE /api/v1/cart", call: () => ({ path: "/api/v1/cart" }), expect: customerRoute(200) },

  // orders
  {
    route: "POST /api/v1/orders",
    call: async (f, who) => {
      await f.fillCart(who);
      return {
        path: "/api/v1/orders",
        body: { payment: card },
        headers: { "idempotency-key": `matrix-${randomUUID()}` },
      };
    },
    expect: customerRoute(201),
  },
  { route: "GET /api/v1/orders", call: () => ({ path: "/api/v1/orders" }), expect: customerRoute(200) },
  {
    route: "GET /api/v1/orders/:id",
    call: (f) => ({ path: `/api/v1/orders/${f.order.id}` }),
    // Another customer's order does not exist for them.
    expect: { anonymous: 401, customer: 200, other: 404, admin: 200 },
  },

  // notifications
  { route: "GET /api/v1/notifications", call: () => ({ path: "/api/v1/notifications" }), expect: customerRoute(200) },

  // The storefront's pages (services/web). Their session is a cookie, never a Bearer token, so every caller
  // here is a visitor without one: a signed-in page redirects to /login (303), and a form post without its
  // signed form token is refused (403). Signed-in pages are covered by test/browser.
  ...pages([
    ["GET /", "/", 200],
    ["GET /products/:id", (f) => `/products/${f.product.id}`, 200],
    ["GET /cart", "/cart", 303],
    ["POST /cart/items", "/cart/items", 403, (f) => `productId=${f.product.id}&quantity=1`],
    ["POST /cart/items/:productId", (f) => `/cart/items/${f.product.id}`, 403],
    ["POST /cart/items/:productId/remove", (f) => `/cart/items/${f.product.id}/remove`, 403],
    ["GET /checkout", "/checkout", 303],
    ["POST /checkout", "/checkout", 403],
    ["GET /orders", "/orders", 303],
    ["GET /orders/:id", (f) => `/orders/${f.order.id}`, 303],
    ["GET /notifications", "/notifications", 303],
    ["GET /login", "/login", 200],
    ["POST /login", "/login", 403],
    ["GET /register", "/register", 200],
    ["POST /register", "/register", 403],
    ["POST /logout", "/logout", 403],
    ["GET /admin", "/admin", 303],
    ["GET /admin/products", "/admin/products", 303],
    ["GET /admin/products/new", "/admin/products/new", 303],
    ["POST /admin/products", "/admin/products", 403],
    ["GET /admin/products/:id", (f) => `/admin/products/${f.product.id}`, 303],
    ["POST /admin/products/:id", (f) => `/admin/products/${f.product.id}`, 403],
    ["POST /admin/products/:id/deactivate", (f) => `/admin/products/${f.product.id}/deactivate`, 403],
    ["POST /admin/stock/:productId", (f) => `/admin/stock/${f.product.id}`, 403],
    ["GET /admin/orders", "/admin/orders", 303],
    ["GET /assets/:file", () => assets.css.url, 200],
  ]),
];

function pages(rows: [string, string | ((f: Fixtures) => string), number, ((f: Fixtures) => string)?][]): Row[] {
  return rows.map(([route, at, status, form]) => ({
    route,
    call: (f) => ({ path: typeof at === "string" ? at : at(f), form: form?.(f) }),
    expect: allowAll(status),
  }));
}

const CUSTOMER = { email: uniqueEmail(), password: "customer-password" };
const OTHER = { email: uniqueEmail(), password: "other-password" };
const ADMIN = { email: "matrix-admin@example.com", password: "admin-password" };

let fixtures: Fixtures;

/** Every service folder, so every route that exists is in the table. */
function allServices(): string[] {
  const dir = path.join(__dirname, "../../services");
  return fs.readdirSync(dir).filter((name) => fs.existsSync(path.join(dir, name, `${name}.service.ts`)));
}

async function send(node: TestNode, method: string, c: Call, token?: string): Promise<JsonResponse> {
  return request(node.url, method, c.path, {
    body: c.body,
    rawBody: c.form,
    headers: c.form ? { "content-type": "application/x-www-form-urlencoded", ...c.headers } : c.headers,
    token,
    redirect: "manual",
  });
}

beforeAll(async () => {
  process.env.ADMIN_EMAIL = ADMIN.email;
  process.env.ADMIN_PASSWORD = ADMIN.password;
  const node = await startNode(allServices());

  const auth = async (body: object, pathName: string) => {
    const res = await request<AuthResult>(node.url, "POST", pathName, { body });
    if (res.status >= 300) throw new Error(`${pathName}: ${res.status} ${res.text}`);
    return res.body.token;
  };
  const token: Record<Who, string | undefined> = {
    anonymous: undefined,
    customer: await auth({ ...CUSTOMER, name: "Customer" }, "/api/v1/auth/register"),
    other: await auth({ ...OTHER, name: "Other" }, "/api/v1/auth/register"),
    admin: await auth(ADMIN, "/api/v1/auth/login"),
  };

  const freshProduct = async () => {
    const product = await call(node.broker, "catalog.create", {
      sku: `MX-${randomUUID().slice(0, 8)}`,
      name: "Matrix product",
      priceCents: 1250,
      currency: "EUR",
      category: "test",
    });
    await call(node.broker, "inventory.set", { productId: product.id, quantity: 1000 });
    return product;
  };
  const product = await freshProduct();
  const fillCart = async (who: Who) => {
    if (!token[who]) return;
    const res = await request(node.url, "PUT", `/api/v1/cart/items/${product.id}`, {
      body: { quantity: 1 },
      token: token[who],
    });
    if (res.status !== 200) throw new Error(`fill cart: ${res.status} ${res.text}`);
  };

  await fillCart("customer");
  const checkout = await request<Order>(node.url, "POST", "/api/v1/orders", {
    body: { payment: card },
    headers: { "idempotency-key": `matrix-${randomUUID()}` },
    token: token.customer,
  });
  if (checkout.status !== 201) throw new Error(`checkout: ${checkout.status} ${checkout.text}`);

  fixtures = { node, token, product, order: checkout.body, freshProduct, fillCart };
});

afterAll(async () => {
  await fixtures?.node.stop();
});

it("has exactly one row per live route", async () => {
  const aliases = (await fixtures.node.broker.call("api.listAliases")) as { methods: string; fullPath: string }[];
  const live = aliases.map((a) => `${a.methods} ${a.fullPath}`).sort();
  const rows = matrix.map((r) => r.route).sort();
  expect(new Set(rows).size).toBe(rows.length);
  // A difference names the route to add to (or remove from) the matrix.
  expect({
    missingRows: live.filter((r) => !rows.includes(r)),
    staleRows: rows.filter((r) => !live.includes(r)),
  }).toEqual({
    missingRows: [],
    staleRows: [],
  });
});

describe.each(matrix)("$route", (row) => {
  const [method] = row.route.split(" ");
  it.each(WHO)("%s", async (who) => {
    const c = await row.call(fixtures, who);
    const res = await send(fixtures.node, method, c, fixtures.token[who]);
    if (res.status !== row.expect[who]) {
      throw new Error(
        `${row.route} as ${who}: expected ${row.expect[who]}, got ${res.status} ${res.text.slice(0, 300)}`,
      );
    }
    expect(res.status).toBe(row.expect[who]);
  });
});
