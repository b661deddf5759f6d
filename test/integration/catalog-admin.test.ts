import { randomUUID } from "node:crypto";
import type { AuthResult, Product } from "../../contracts";
import { request } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";

/** The admin product routes over real HTTP: create, patch, delete, and hostile input that changes nothing. */

let node: TestNode;
let admin: string;
const sku = () => `ADM-${randomUUID().slice(0, 8).toUpperCase()}`;
const valid = () => ({ sku: sku(), name: "Admin Lamp", priceCents: 4900, currency: "EUR", category: "home" });

async function allProducts(): Promise<unknown[]> {
  const catalog = node.broker.getLocalService("catalog") as unknown as {
    adapter: { find(o: object): Promise<unknown[]> };
  };
  return catalog.adapter.find({});
}

beforeAll(async () => {
  process.env.ADMIN_EMAIL = "catalog-admin@example.com";
  process.env.ADMIN_PASSWORD = "catalog-admin-password";
  node = await startNode(["api", "users", "catalog"]);
  const login = await request<AuthResult>(node.url, "POST", "/api/v1/auth/login", {
    body: { email: "catalog-admin@example.com", password: "catalog-admin-password" },
  });
  expect(login.status).toBe(200);
  admin = login.body.token;
});
afterAll(async () => {
  await node?.stop();
});

it("creates (201 + Location), patches and deletes a product", async () => {
  const input = valid();
  const created = await request<Product>(node.url, "POST", "/api/v1/products", { body: input, token: admin });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ sku: input.sku, name: "Admin Lamp", active: true });
  expect(created.headers.get("location")).toBe(`/api/v1/products/${created.body.id}`);

  const patched = await request<Product>(node.url, "PATCH", `/api/v1/products/${created.body.id}`, {
    body: { priceCents: 5900, active: false },
    token: admin,
  });
  expect(patched.status).toBe(200);
  expect(patched.body).toMatchObject({ id: created.body.id, priceCents: 5900, active: false });

  const removed = await request(node.url, "DELETE", `/api/v1/products/${created.body.id}`, { token: admin });
  expect(removed.status).toBe(200);
  expect((await request(node.url, "GET", `/api/v1/products/${created.body.id}`)).status).toBe(404);
  expect((await request(node.url, "DELETE", `/api/v1/products/${created.body.id}`, { token: admin })).status).toBe(404);
});

it("answers 409 for a duplicate sku", async () => {
  const input = valid();
  expect((await request(node.url, "POST", "/api/v1/products", { body: input, token: admin })).status).toBe(201);
  const again = await request(node.url, "POST", "/api/v1/products", {
    body: { ...input, name: "Other" },
    token: admin,
  });
  expect(again.status).toBe(409);
});

type Case = [string, string, string, number, { body?: unknown; rawBody?: string; headers?: Record<string, string> }];
const someId = "0123456789abcdef01234567";
const cases: Case[] = [
  ["create: price as text", "POST", "/api/v1/products", 422, { body: { ...valid(), priceCents: "cheap" } }],
  ["create: a float price", "POST", "/api/v1/products", 422, { body: { ...valid(), priceCents: 10.5 } }],
  ["create: missing name", "POST", "/api/v1/products", 422, { body: { ...valid(), name: undefined } }],
  ["create: huge name", "POST", "/api/v1/products", 422, { body: { ...valid(), name: "n".repeat(5000) } }],
  ["create: operator as sku", "POST", "/api/v1/products", 422, { body: { ...valid(), sku: { $ne: "" } } }],
  ["create: an unknown field", "POST", "/api/v1/products", 422, { body: { ...valid(), id: someId } }],
  [
    "create: malformed JSON",
    "POST",
    "/api/v1/products",
    400,
    { rawBody: '{"sku":', headers: { "content-type": "application/json" } },
  ],
  [
    "create: text/plain",
    "POST",
    "/api/v1/products",
    415,
    { rawBody: JSON.stringify(valid()), headers: { "content-type": "text/plain" } },
  ],
  ["patch: a malformed id", "PATCH", "/api/v1/products/not-an-id", 422, { body: { name: "x" } }],
  ["patch: an unknown id", "PATCH", `/api/v1/products/${someId}`, 404, { body: { name: "x" } }],
  ["patch: negative price", "PATCH", `/api/v1/products/${someId}`, 422, { body: { priceCents: -1 } }],
  ["patch: operator injection", "PATCH", `/api/v1/products/${someId}`, 422, { body: { $set: { active: false } } }],
  ["delete: a malformed id", "DELETE", "/api/v1/products/%7B%22$ne%22:1%7D", 422, {}],
  ["delete: an unknown id", "DELETE", `/api/v1/products/${someId}`, 404, {}],
];

it.each(cases)("%s (%s %s) → %i, nothing changed", async (_name, method, path, status, opts) => {
  const before = JSON.stringify(await allProducts());
  const res = await request(node.url, method, path, { ...opts, token: admin });
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  expect(res.body).toMatchObject({ code: status });
  expect(JSON.stringify(await allProducts())).toBe(before);
});
