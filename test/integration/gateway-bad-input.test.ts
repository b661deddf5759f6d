import zlib from "node:zlib";
import type { AuthResult, Product } from "../../contracts";
import { request } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";

/**
 * What the gateway refuses before any action runs (platform/gateway/request-guard.ts):
 * bodies that do not decompress, are not JSON, or are nested too deep; methods a
 * path does not serve. Every answer is a 4xx JSON error (or a 204 for OPTIONS),
 * never a 500, and nothing stored changes.
 */

let node: TestNode;
let admin: string;
let customer: string;
let product: Product;

const nestedText = (depth: number) => "[".repeat(depth) + '"x"' + "]".repeat(depth);

async function storedProducts(): Promise<string> {
  const catalog = node.broker.getLocalService("catalog") as unknown as {
    adapter: { find(o: object): Promise<unknown[]> };
  };
  return JSON.stringify(await catalog.adapter.find({}));
}

beforeAll(async () => {
  process.env.ADMIN_EMAIL = "guard-admin@example.com";
  process.env.ADMIN_PASSWORD = "guard-admin-password";
  node = await startNode(["api", "users", "catalog", "inventory", "cart"]);
  const login = await request<AuthResult>(node.url, "POST", "/api/v1/auth/login", {
    body: { email: "guard-admin@example.com", password: "guard-admin-password" },
  });
  admin = login.body.token;
  const reg = await request<AuthResult>(node.url, "POST", "/api/v1/auth/register", {
    body: { email: "guard-customer@example.com", password: "guard-password", name: "G" },
  });
  customer = reg.body.token;
  const created = await request<Product>(node.url, "POST", "/api/v1/products", {
    token: admin,
    body: { sku: "GRD-001", name: "Guard Lamp", priceCents: 1000, currency: "EUR", category: "home" },
  });
  expect(created.status).toBe(201);
  product = created.body;
});
afterAll(async () => {
  await node?.stop();
});

function expectJsonError(res: { status: number; text: string; body: unknown }, status: number) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ code: status });
  expect(res.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
}

describe("a body that does not decompress is a 400", () => {
  it.each(["gzip", "deflate", "br"])("Content-Encoding: %s", async (encoding) => {
    const res = await request(node.url, "POST", "/api/v1/auth/login", {
      rawBody: "this is not compressed at all",
      headers: { "content-type": "application/json", "content-encoding": encoding },
    });
    expectJsonError(res, 400);
  });

  it("a body that does decompress is read as JSON", async () => {
    const body = zlib.gzipSync(JSON.stringify({ email: "guard-customer@example.com", password: "guard-password" }));
    const res = await fetch(`${node.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body,
    });
    expect(res.status).toBe(200);
  });
});

describe("deeply nested JSON is refused before validation", () => {
  it("5,000 levels in password on /auth/login → 422", async () => {
    const res = await request(node.url, "POST", "/api/v1/auth/login", {
      rawBody: `{"email":"guard-customer@example.com","password":${nestedText(5000)}}`,
      headers: { "content-type": "application/json" },
    });
    expectJsonError(res, 422);
    expect(res.body).toMatchObject({ type: "BODY_TOO_DEEP" });
  });

  it("5,000 levels in quantity on PUT /cart/items/:id → 422, the cart unchanged", async () => {
    const res = await request(node.url, "PUT", `/api/v1/cart/items/${product.id}`, {
      token: customer,
      rawBody: `{"quantity":${"[".repeat(5000)}1${"]".repeat(5000)}}`,
      headers: { "content-type": "application/json" },
    });
    expectJsonError(res, 422);
    const cart = await request<{ items: unknown[] }>(node.url, "GET", "/api/v1/cart", { token: customer });
    expect(cart.body.items).toEqual([]);
  });

  it("a body with too many values → 413", async () => {
    const res = await request(node.url, "PATCH", `/api/v1/products/${product.id}`, {
      token: admin,
      body: { tags: Array.from({ length: 5000 }, (_, i) => `t${i}`) },
    });
    expectJsonError(res, 413);
  });
});

describe("a write whose body is not JSON is a 415, and an empty update changes nothing", () => {
  it.each([
    ["application/x-www-form-urlencoded", "name=Renamed"],
    ["text/plain", '{"name":"Renamed"}'],
  ])("PATCH /products/:id with %s → 415, updatedAt unchanged", async (type, rawBody) => {
    const before = await storedProducts();
    const res = await request(node.url, "PATCH", `/api/v1/products/${product.id}`, {
      token: admin,
      rawBody,
      headers: { "content-type": type },
    });
    expectJsonError(res, 415);
    expect(await storedProducts()).toBe(before);
  });

  it("PATCH /products/:id with {} → 200 and the product as it was (no updatedAt bump)", async () => {
    const before = await storedProducts();
    const res = await request<Product>(node.url, "PATCH", `/api/v1/products/${product.id}`, {
      token: admin,
      body: {},
    });
    expect(res.status).toBe(200);
    expect(res.body.updatedAt).toBe(product.updatedAt);
    expect(await storedProducts()).toBe(before);
  });
});

describe("every route answers every method", () => {
  it.each(["/healthz", "/readyz"])("OPTIONS %s → 204 with Allow", async (path) => {
    const res = await request(node.url, "OPTIONS", path);
    expect(res.status).toBe(204);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("a 405 and an OPTIONS answer carry X-Request-Id, the client's own when it sent one (docs/api.md)", async () => {
    for (const method of ["OPTIONS", "DELETE"]) {
      const fresh = await request(node.url, method, "/api/v1/products");
      expect([method, fresh.status]).toEqual([method, method === "OPTIONS" ? 204 : 405]);
      expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
      const echoed = await request(node.url, method, "/login", { headers: { "x-request-id": "client-id-42" } });
      expect(echoed.headers.get("x-request-id")).toBe("client-id-42");
    }
  });

  it("OPTIONS with a large body answers too", async () => {
    const res = await request(node.url, "OPTIONS", "/healthz", {
      rawBody: "x".repeat(1_000_000),
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(204);
  });

  it.each([
    ["POST", "/healthz", "GET, HEAD, OPTIONS"],
    ["DELETE", "/readyz", "GET, HEAD, OPTIONS"],
    ["DELETE", "/api/v1/products", "GET, HEAD, OPTIONS, POST"],
    ["PUT", "/api/v1/products/0123456789abcdef01234567", "DELETE, GET, HEAD, OPTIONS, PATCH"],
    ["GET", "/api/v1/auth/login", "OPTIONS, POST"],
    ["POST", "/api/openapi.json", "GET, HEAD, OPTIONS"],
  ])("%s %s → 405 with Allow: %s", async (method, path, allow) => {
    const res = await request(node.url, method, path);
    expectJsonError(res, 405);
    expect(res.headers.get("allow")).toBe(allow);
  });

  it("OPTIONS on an action route lists its methods and calls nothing", async () => {
    const before = await storedProducts();
    const res = await request(node.url, "OPTIONS", `/api/v1/products/${product.id}`, { token: admin });
    expect(res.status).toBe(204);
    expect(res.headers.get("allow")).toBe("DELETE, GET, HEAD, OPTIONS, PATCH");
    expect(await storedProducts()).toBe(before);
  });

  it("HEAD answers like GET, without a body", async () => {
    const res = await request(node.url, "HEAD", "/api/v1/products");
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
  });

  it.each([
    ["GET", 400],
    ["DELETE", 400],
    ["PUT", 405],
  ])(
    "%s with a path parameter that is not valid percent-encoding → %d, and the node answers on",
    async (method, status) => {
      const res = await request(node.url, method, "/api/v1/products/%E0%A4%A", { token: admin });
      expectJsonError(res, status);
      expect((await request(node.url, "GET", "/healthz")).status).toBe(200);
    },
  );

  it.each(["/healthz", "/readyz"])("%s/ (trailing slash) answers as without the slash", async (path) => {
    const plain = await request(node.url, "GET", path);
    const slash = await request(node.url, "GET", `${path}/`);
    expect(slash.status).toBe(plain.status);
    expect(slash.body).toMatchObject({ status: (plain.body as { status: string }).status });
  });

  it("headers over Node's 16 KB limit → 431 with a JSON error (Node's own answer has no body)", async () => {
    const res = await request(node.url, "GET", "/api/v1/products", { headers: { "x-huge": "h".repeat(20_000) } });
    expectJsonError(res, 431);
    expect(res.body).toMatchObject({ type: "HEADERS_TOO_LARGE" });
  });

  it("an unknown path is still a 404", async () => {
    expectJsonError(await request(node.url, "DELETE", "/api/v1/nothing-here"), 404);
  });
});
