import { randomUUID } from "node:crypto";
import { call, type AuthResult, type Cart, type Product, type StockLevel } from "../../contracts";
import { newId } from "../../platform/core/ids";
import { request, type RequestOptions } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";

/** The cart and PUT /inventory over real HTTP through the gateway, with real tokens. */
const ADMIN = { email: "stock-admin@example.com", password: "stock-admin-password" };

let node: TestNode;
let admin: string;
let alice: string;
let bob: string;
let product: Product;

const http = <T = unknown>(method: string, path: string, opts: RequestOptions = {}) =>
  request<T>(node.url, method, `/api/v1${path}`, opts);

async function register(): Promise<string> {
  const res = await http<AuthResult>("POST", "/auth/register", {
    body: { email: `cart-${randomUUID()}@example.com`, password: "password-123", name: "Cart Tester" },
  });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
  return res.body.token;
}

async function newProduct(fields: Partial<Product> = {}): Promise<Product> {
  return call(node.broker, "catalog.create", {
    sku: `HTTP-${randomUUID().slice(0, 8)}`,
    name: "Http Mug",
    priceCents: 1500,
    currency: "EUR",
    category: "test",
    ...fields,
  });
}

beforeAll(async () => {
  process.env.ADMIN_EMAIL = ADMIN.email;
  process.env.ADMIN_PASSWORD = ADMIN.password;
  node = await startNode(["api", "users", "catalog", "inventory", "cart"]);
  const login = await http<AuthResult>("POST", "/auth/login", { body: ADMIN });
  admin = login.body.token;
  [alice, bob] = [await register(), await register()];
  product = await newProduct();
});
afterAll(async () => {
  await node?.stop();
  delete process.env.ADMIN_EMAIL;
  delete process.env.ADMIN_PASSWORD;
});

describe("PUT /inventory/:productId", () => {
  it("lets an admin set the stock, which products then show", async () => {
    const res = await http<StockLevel>("PUT", `/inventory/${product.id}`, { token: admin, body: { quantity: 25 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ productId: product.id, available: 25, reserved: 0, committed: 0 });
    const shown = await http<Product>("GET", `/products/${product.id}`);
    expect(shown.body.available).toBe(25);
  });

  it("refuses anonymous (401) and customers (403)", async () => {
    const path = `/inventory/${product.id}`;
    expect((await http("PUT", path, { body: { quantity: 1 } })).status).toBe(401);
    expect((await http("PUT", path, { token: alice, body: { quantity: 1 } })).status).toBe(403);
    expect((await call(node.broker, "inventory.get", { productId: product.id })).available).toBe(25);
  });

  it("answers 404 for an unknown product", async () => {
    expect((await http("PUT", `/inventory/${newId()}`, { token: admin, body: { quantity: 1 } })).status).toBe(404);
  });

  it.each<[string, RequestOptions]>([
    ["a negative quantity", { body: { quantity: -1 } }],
    ["a quantity over 1 000 000", { body: { quantity: 1_000_001 } }],
    ["text", { body: { quantity: "abc" } }],
    ["an operator", { body: { quantity: { $set: 0 } } }],
    ["no quantity", { body: {} }],
    ["a huge string", { body: { quantity: "9".repeat(50_000) } }],
    ["malformed JSON", { rawBody: '{"quantity": 5', headers: { "content-type": "application/json" } }],
  ])("refuses %s with a 4xx JSON error and changes nothing", async (_name, opts) => {
    const res = await http<{ code: number }>("PUT", `/inventory/${product.id}`, { token: admin, ...opts });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.code).toBe(res.status);
    expect((await call(node.broker, "inventory.get", { productId: product.id })).available).toBe(25);
  });

  it("refuses a malformed product id with 422", async () => {
    const res = await http("PUT", "/inventory/not-an-id", { token: admin, body: { quantity: 1 } });
    expect(res.status).toBe(422);
  });
});

describe("the cart over HTTP", () => {
  it("fills, changes, shows, removes and clears the caller's own cart", async () => {
    const other = await newProduct({ priceCents: 300, name: "Http Spoon" });
    let res = await http<Cart>("PUT", `/cart/items/${product.id}`, { token: alice, body: { quantity: 2 } });
    expect(res.status).toBe(200);
    res = await http<Cart>("PUT", `/cart/items/${other.id}`, { token: alice, body: { quantity: 1 } });
    expect(res.body).toEqual({
      items: [
        { productId: product.id, name: "Http Mug", quantity: 2, unitPriceCents: 1500 },
        { productId: other.id, name: "Http Spoon", quantity: 1, unitPriceCents: 300 },
      ],
      totalCents: 3300,
      currency: "EUR",
    });
    expect((await http<Cart>("GET", "/cart", { token: alice })).body).toEqual(res.body);
    // Bob's cart is his own.
    expect((await http<Cart>("GET", "/cart", { token: bob })).body).toEqual({
      items: [],
      totalCents: 0,
      currency: "EUR",
    });

    res = await http<Cart>("DELETE", `/cart/items/${other.id}`, { token: alice });
    expect(res.status).toBe(200);
    expect(res.body.items.map((l) => l.productId)).toEqual([product.id]);
    res = await http<Cart>("DELETE", "/cart", { token: alice });
    expect(res.body).toEqual({ items: [], totalCents: 0, currency: "EUR" });
  });

  it("needs a token", async () => {
    expect((await http("GET", "/cart")).status).toBe(401);
    expect((await http("PUT", `/cart/items/${product.id}`, { body: { quantity: 1 } })).status).toBe(401);
    expect((await http("GET", "/cart", { token: "not-a-token" })).status).toBe(401);
  });

  it("answers 404 for an unknown product and 422 for an inactive one", async () => {
    expect((await http("PUT", `/cart/items/${newId()}`, { token: bob, body: { quantity: 1 } })).status).toBe(404);
    const inactive = await newProduct({ active: false });
    const res = await http<{ type: string }>("PUT", `/cart/items/${inactive.id}`, {
      token: bob,
      body: { quantity: 1 },
    });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe("PRODUCT_INACTIVE");
  });

  it.each<[string, RequestOptions]>([
    ["quantity 0", { body: { quantity: 0 } }],
    ["quantity 100", { body: { quantity: 100 } }],
    ['quantity "abc"', { body: { quantity: "abc" } }],
    ["a fractional quantity", { body: { quantity: 1.5 } }],
    ["an operator", { body: { quantity: { $gt: 0 } } }],
    ["an extra field", { body: { quantity: 1, unitPriceCents: 1 } }],
    ["no body", {}],
    ["a huge string", { body: { quantity: "1".repeat(50_000) } }],
    ["malformed JSON", { rawBody: "{quantity: 1}", headers: { "content-type": "application/json" } }],
  ])("refuses %s with a 4xx JSON error and changes nothing", async (_name, opts) => {
    await http("PUT", `/cart/items/${product.id}`, { token: bob, body: { quantity: 3 } });
    const res = await http<{ code: number }>("PUT", `/cart/items/${product.id}`, { token: bob, ...opts });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.code).toBe(res.status);
    const cart = (await http<Cart>("GET", "/cart", { token: bob })).body;
    expect(cart.items).toEqual([expect.objectContaining({ productId: product.id, quantity: 3 })]);
  });

  it("refuses malformed product ids with 422", async () => {
    for (const id of ["nope", "%24ne", "a".repeat(5000)]) {
      const res = await http("PUT", `/cart/items/${id}`, { token: bob, body: { quantity: 1 } });
      expect(res.status).toBe(422);
    }
  });
});
