import { randomUUID } from "node:crypto";
import { request } from "../../helpers/http";
import { secretsExample } from "./stack";

/**
 * The shop through its load balancer, set up as a user would: the admin of
 * docker/secrets/users.env.example signs in, makes sure a few products exist and
 * sets their stock high, then customers register.
 */
export interface PreparedShop {
  url: string;
  adminToken: string;
  productIds: string[];
  tokens: string[];
  stock: number;
}

const STOCK = 100_000;

async function ok<T>(what: string, res: Promise<{ status: number; body: T; text: string }>, status: number) {
  const r = await res;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.body;
}

export async function adminToken(url: string): Promise<string> {
  const secrets = secretsExample();
  const body = await ok(
    "admin login",
    request<{ token: string }>(url, "POST", "/api/v1/auth/login", {
      body: { email: secrets.ADMIN_EMAIL, password: secrets.ADMIN_PASSWORD },
    }),
    200,
  );
  return body.token;
}

export async function register(url: string): Promise<string> {
  const body = await ok(
    "register",
    request<{ token: string }>(url, "POST", "/api/v1/auth/register", {
      body: { email: `docker-${randomUUID()}@example.com`, password: "correct horse battery", name: "Docker" },
    }),
    201,
  );
  return body.token;
}

export async function prepareShop(url: string, customers: number): Promise<PreparedShop> {
  const token = await adminToken(url);
  let list = await ok("list", request<{ rows: { id: string }[] }>(url, "GET", "/api/v1/products?pageSize=3"), 200);
  for (let i = list.rows.length; i < 3; i++) {
    await ok(
      "create product",
      request(url, "POST", "/api/v1/products", {
        token,
        body: {
          sku: `DKR-${i}-${randomUUID().slice(0, 8)}`,
          name: `Docker mug ${i}`,
          priceCents: 900,
          currency: "EUR",
          category: "kitchen",
        },
      }),
      201,
    );
  }
  list = await ok("list", request<{ rows: { id: string }[] }>(url, "GET", "/api/v1/products?pageSize=3"), 200);
  const productIds = list.rows.map((p) => p.id);
  for (const id of productIds) {
    await ok("stock", request(url, "PUT", `/api/v1/inventory/${id}`, { token, body: { quantity: STOCK } }), 200);
  }
  const tokens: string[] = [];
  for (let i = 0; i < customers; i++) tokens.push(await register(url));
  return { url, adminToken: token, productIds, tokens, stock: STOCK };
}
