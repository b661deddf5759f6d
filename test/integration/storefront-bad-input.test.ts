import zlib from "node:zlib";
import type { Page, Product } from "../../contracts";
import { request } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";
import { visitor, type Visitor } from "../helpers/storefront-forms";

/**
 * The storefront's form posts with bodies the gateway cannot read: a
 * Content-Encoding over bytes that do not decompress, a truncated or unknown
 * encoding, a charset body-parser does not know. Each is a 4xx HTML error page
 * (the JSON API answers the same bodies with a 400: gateway-bad-input.test.ts),
 * never a 500, and nothing stored changes.
 */

const SERVICES = ["api", "users", "catalog", "inventory", "cart", "payments", "orders", "notifications", "web"];
const ADMIN = { email: "sf-bad-admin@example.com", password: "sf-bad-admin-password" };
const CUSTOMER = { email: "sf-bad-customer@example.com", password: "sf-bad-customer-password", name: "C" };

let node: TestNode;
let product: Product;
let anonymous: Visitor;
let customer: Visitor;
let admin: Visitor;

/** Every document of every service's store, in one string. */
async function stored(): Promise<string> {
  const all: Record<string, unknown> = {};
  for (const name of ["users", "catalog", "inventory", "cart", "payments", "orders", "notifications"]) {
    const service = node.broker.getLocalService(name) as unknown as { adapter: { find(o: object): Promise<unknown> } };
    all[name] = await service.adapter.find({});
  }
  return JSON.stringify(all);
}

beforeAll(async () => {
  process.env.ADMIN_EMAIL = ADMIN.email;
  process.env.ADMIN_PASSWORD = ADMIN.password;
  node = await startNode(SERVICES);
  const reg = await request(node.url, "POST", "/api/v1/auth/register", { body: CUSTOMER });
  expect(reg.status).toBe(201);
  product = (await request<Page<Product>>(node.url, "GET", "/api/v1/products?pageSize=1")).body.rows[0];
  [anonymous, customer, admin] = await Promise.all([
    visitor(node.url),
    visitor(node.url, CUSTOMER),
    visitor(node.url, ADMIN),
  ]);
}, 60_000);
afterAll(async () => {
  await node?.stop();
});

const ROUTES = () =>
  [
    ["/login", anonymous, `email=a&password=b`],
    ["/register", anonymous, `email=a%40example.com&password=abcdefghij&name=A`],
    ["/checkout", customer, `cardNumber=4242424242424242&expiry=12%2F30&cvc=123`],
    ["/cart/items", customer, `productId=${product.id}&quantity=1`],
    [`/cart/items/${product.id}`, customer, `quantity=3`],
    ["/logout", customer, ``],
    ["/admin/products", admin, `sku=BAD-1&name=Bad&priceCents=100&currency=EUR&category=x`],
    [`/admin/stock/${product.id}`, admin, `quantity=7`],
  ] as const;

const BODIES: [string, (form: string) => Buffer, Record<string, string>][] = [
  ["gzip over plain bytes", (f) => Buffer.from(f), { "content-encoding": "gzip" }],
  ["deflate over plain bytes", (f) => Buffer.from(f), { "content-encoding": "deflate" }],
  ["br over plain bytes", (f) => Buffer.from(f), { "content-encoding": "br" }],
  ["truncated gzip", (f) => zlib.gzipSync(f).subarray(0, 12), { "content-encoding": "gzip" }],
  ["an unknown encoding", (f) => Buffer.from(f), { "content-encoding": "zstd" }],
  [
    "an unknown charset",
    (f) => Buffer.from(f),
    { "content-type": "application/x-www-form-urlencoded; charset=ebcdic" },
  ],
];

describe("a form body the gateway cannot read is a 4xx page, nothing stored", () => {
  it.each(["/login", "/register", "/checkout", "/cart/items", "/admin/products"])(
    "the issue's example: POST %s with content-encoding: gzip over 'email=a' → 400",
    async (path) => {
      const res = await fetch(node.url + path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "content-encoding": "gzip" },
        body: "email=a",
      });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await res.text()).toContain("could not be understood");
    },
  );

  it("every form route, every unreadable body, with the visitor's real form token", async () => {
    const before = await stored();
    const answers: string[] = [];
    for (const [path, who, form] of ROUTES()) {
      for (const [kind, encode, headers] of BODIES) {
        const withToken = `${form}${form ? "&" : ""}_csrf=${encodeURIComponent(who.csrf)}`;
        const res = await fetch(node.url + path, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie: who.cookie, ...headers },
          body: encode(withToken),
        });
        const text = await res.text();
        answers.push(`${path} ${kind}: ${res.status}`);
        expect({ path, kind, status: res.status >= 400 && res.status < 500 }).toEqual({ path, kind, status: true });
        expect(text).not.toMatch(/\bat .+\.(js|ts):\d+/);
        expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      }
    }
    expect(await stored()).toBe(before);
    // The same forms, readable, do reach their handlers (the refusals above are the encoding's).
    const ok = await fetch(`${node.url}/cart/items`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-encoding": "gzip",
        cookie: customer.cookie,
      },
      body: zlib.gzipSync(`productId=${product.id}&quantity=1&_csrf=${encodeURIComponent(customer.csrf)}`),
    });
    expect(ok.status).toBe(303);
    expect(await stored()).not.toBe(before);
  }, 60_000);
});
