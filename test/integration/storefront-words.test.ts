import type { AuthResult, Page, Product } from "../../contracts";
import { request } from "../helpers/http";
import { eventually } from "../helpers/processes";
import { startNode, type TestNode } from "../helpers/node";
import { visitor, type Visitor } from "../helpers/storefront-forms";

/**
 * What the storefront says, over real HTTP with every service in one node:
 * one wording for an expired card, one format for amounts and order ids on
 * pages and in notifications, who is signed in, a message after registering
 * and logging out, the admin's order list by customer email, the notice after
 * creating a product, a 404 that offers no sign-in to a signed-in shopper, and
 * an icon at /favicon.ico.
 */

const SERVICES = ["api", "users", "catalog", "inventory", "cart", "payments", "orders", "notifications", "web"];
const ADMIN = { email: "words-admin@example.com", password: "words-admin-password" };
const SHOPPER = { email: "words-shopper@example.com", password: "words-shopper-password", name: "Wanda" };
const CARD = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" };

let node: TestNode;
let product: Product;
let shopper: Visitor;
let admin: Visitor;
let orderId: string;

const FORM = "application/x-www-form-urlencoded";

/** A page as `who` sees it, following a redirect the way a browser does (with the cookies the redirect set). */
async function page(who: Visitor | null, path: string): Promise<{ status: number; html: string }> {
  const res = await fetch(node.url + path, { headers: who ? { cookie: who.cookie } : {} });
  return { status: res.status, html: await res.text() };
}

async function post(who: Visitor, path: string, fields: Record<string, string>) {
  const res = await fetch(node.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": FORM, cookie: who.cookie },
    body: new URLSearchParams({ ...fields, _csrf: who.csrf }).toString(),
  });
  return {
    status: res.status,
    location: res.headers.get("location"),
    cookies: res.headers.getSetCookie(),
    html: await res.text(),
  };
}

/** The visitor's cookie header with the response's Set-Cookie applied. */
function withCookies(who: Visitor, setCookies: string[]): Visitor {
  const jar = new Map(
    who.cookie
      .split("; ")
      .filter(Boolean)
      .map((c) => c.split("=", 2) as [string, string]),
  );
  for (const line of setCookies) {
    const [pair] = line.split(";");
    const [name, value] = pair.split("=", 2);
    if (/Max-Age=0/.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
  return { csrf: who.csrf, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") };
}

beforeAll(async () => {
  process.env.ADMIN_EMAIL = ADMIN.email;
  process.env.ADMIN_PASSWORD = ADMIN.password;
  node = await startNode(SERVICES);
  const reg = await request<AuthResult>(node.url, "POST", "/api/v1/auth/register", { body: SHOPPER });
  const token = reg.body.token;
  const adminToken = (await request<AuthResult>(node.url, "POST", "/api/v1/auth/login", { body: ADMIN })).body.token;
  product = (await request<Page<Product>>(node.url, "GET", "/api/v1/products?pageSize=1")).body.rows[0];
  await request(node.url, "PUT", `/api/v1/inventory/${product.id}`, { token: adminToken, body: { quantity: 50 } });
  await request(node.url, "PUT", `/api/v1/cart/items/${product.id}`, { token, body: { quantity: 2 } });
  const order = await request<{ id: string }>(node.url, "POST", "/api/v1/orders", {
    token,
    headers: { "idempotency-key": "words-order-1" },
    body: { payment: CARD },
  });
  expect(order.status).toBe(201);
  orderId = order.body.id;
  [shopper, admin] = await Promise.all([visitor(node.url, SHOPPER), visitor(node.url, ADMIN)]);
}, 60_000);
afterAll(async () => {
  await node?.stop();
});

describe("what the storefront says", () => {
  it("an expiry long past and one last month both say the card has expired", async () => {
    await post(shopper, "/cart/items", { productId: product.id, quantity: "1" });
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const recent = `${String(lastMonth.getUTCMonth() + 1).padStart(2, "0")}/${String(lastMonth.getUTCFullYear()).slice(2)}`;
    const said: string[] = [];
    for (const cardExpiry of ["12/20", recent]) {
      const checkout = await page(shopper, "/checkout");
      const idempotencyKey = /name="idempotencyKey" value="([^"]+)"/.exec(checkout.html)![1];
      const res = await post(shopper, "/checkout", {
        idempotencyKey,
        cardNumber: CARD.cardNumber,
        cardExpiry,
        cardCvc: "123",
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      said.push(/The card has expired\.|not plausible/.exec(res.html)?.[0] ?? res.html.slice(0, 200));
    }
    expect(said).toEqual(["The card has expired.", "The card has expired."]);
  });

  it("a notification shows the order's short id and its total as the order page does", async () => {
    const order = await page(shopper, `/orders/${orderId}`);
    const total = /Total: ([^<]+)</.exec(order.html)![1];
    expect(total).toMatch(/^€\d/);
    const notes = await eventually(async () => {
      const p = await page(shopper, "/notifications");
      return p.html.includes(`data-order-id="${orderId}"`) && p.html;
    });
    expect(notes).toContain(`Order ${orderId.slice(0, 8)} is confirmed; total ${total}.`);
    expect(notes).not.toContain(`Order ${orderId} `);
  });

  it("the header says who is signed in; a 404 offers no sign-in to them", async () => {
    const home = await page(shopper, "/");
    expect(home.html).toMatch(/data-testid="signed-in-as">\s*Signed in as <strong>words-shopper@example.com<\/strong>/);
    for (const path of ["/no-such-page", `/products/${"f".repeat(24)}`]) {
      const missing = await page(shopper, path);
      expect([path, missing.status]).toEqual([path, 404]);
      expect(missing.html).not.toContain('href="/login"');
      expect(missing.html).not.toContain('href="/register"');
    }
    const anonymous = await page(null, "/");
    expect(anonymous.html).toContain('href="/login"');
    expect(anonymous.html).not.toContain("Signed in as");
  });

  it("says welcome after registering and goodbye after logging out, once", async () => {
    const fresh = await visitor(node.url);
    const reg = await post(fresh, "/register", {
      email: "words-new@example.com",
      password: "words-new-password",
      name: "N",
    });
    expect(reg.status).toBe(303);
    const registered = withCookies(fresh, reg.cookies);
    const first = await page(registered, reg.location!);
    expect(first.html).toContain("Welcome! Your account is ready");
    const out = await post(registered, "/logout", {});
    expect(out.status).toBe(303);
    const signedOut = withCookies(registered, out.cookies);
    const after = await fetch(node.url + out.location!, { headers: { cookie: signedOut.cookie } });
    expect(await after.text()).toContain("You are signed out");
    // Shown once: the page that showed it cleared it.
    const cleared = withCookies(signedOut, after.headers.getSetCookie());
    expect((await page(cleared, "/")).html).not.toContain("You are signed out");
  });

  it("the admin's order list names each customer by email", async () => {
    const list = await page(admin, "/admin/orders");
    expect(list.status).toBe(200);
    expect(list.html).toMatch(/data-testid="order-customer">\s*words-shopper@example.com\s*</);
  });

  it("after creating a product the notice asks for stock only when it has none", async () => {
    const res = await post(admin, "/admin/products", {
      sku: "WORDS-1",
      name: "Words Lamp",
      price: "12.50",
      currency: "EUR",
      category: "home",
    });
    expect(res.status).toBe(303);
    const created = await page(admin, res.location!);
    const stocked = /data-testid="admin-product"[^>]*>[\s\S]*?Words Lamp[\s\S]*?<\/tr>/.exec(created.html)![0];
    // This node gives new products no stock (INVENTORY_INITIAL_STOCK=0): the notice says to set it.
    expect(stocked).toContain("sold out");
    expect(created.html).toContain("Set its stock below to put it on sale.");
  });

  it("/favicon.ico is the site's icon, cached; every page links it", async () => {
    const res = await fetch(`${node.url}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml");
    expect(res.headers.get("cache-control")).toMatch(/max-age=\d+/);
    expect(await res.text()).toMatch(/^<svg /);
    const home = await page(null, "/");
    const href = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)"/.exec(home.html)![1];
    const linked = await fetch(node.url + href);
    expect([linked.status, linked.headers.get("content-type")]).toEqual([200, "image/svg+xml"]);
    expect(linked.headers.get("cache-control")).toContain("immutable");
  });
});
