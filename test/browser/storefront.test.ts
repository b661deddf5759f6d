import type { Browser } from "playwright-core";
import { builtServices } from "../cluster/cluster";
import { eventually, startAgoraNode, stopAll, type AgoraNode } from "../helpers/processes";
import { request } from "../helpers/http";
import {
  ADMIN,
  APPROVED,
  DECLINED,
  PageAudit,
  addToCart,
  apiLogin,
  availableOf,
  createProduct,
  fillCard,
  launchChromium,
  loginInBrowser,
  newShopper,
  ordersOf,
  registerInBrowser,
  sessionToken,
  setStock,
  type ApiProduct,
} from "./storefront-support";

/**
 * The storefront in a real browser (Debian's Chromium through playwright-core)
 * against the production build started like `npm start`: every service in one
 * node. Each test is a shopper (or the admin) clicking through the pages; the
 * REST API is used only to set the scene and to check what happened behind
 * them (stock, orders, payments). Every page visited is screenshotted to
 * test-artifacts/storefront/ and audited with axe-core.
 */
// A browser on two shared cores: every step is slow, and every page is also audited.
jest.setTimeout(240_000);

describe("storefront in Chromium", () => {
  let node: AgoraNode;
  let url: string;
  let browser: Browser;
  let adminToken: string;
  let mug: ApiProduct;
  let tea: ApiProduct;
  const audit = new PageAudit();
  const run = `${process.pid}`.slice(-5);

  beforeAll(async () => {
    node = await startAgoraNode({
      services: builtServices(),
      env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, INVENTORY_INITIAL_STOCK: "0" },
    });
    url = node.url;
    browser = await launchChromium();
    adminToken = await apiLogin(url, ADMIN.email, ADMIN.password);
    mug = await createProduct(
      url,
      adminToken,
      { sku: `WEB-MUG-${run}`, name: `Speckled Browser Mug ${run}`, category: "kitchen", priceCents: 1450 },
      40,
    );
    tea = await createProduct(
      url,
      adminToken,
      { sku: `WEB-TEA-${run}`, name: `Smoky Browser Tea ${run}`, category: "pantry", priceCents: 890 },
      40,
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  it("a shopper registers, searches, fills the cart, pays and finds the order and its notification", async () => {
    const { context, page } = await newShopper(browser);
    await page.goto(`${url}/`);
    await audit.record(page, "catalog");
    await page.goto(`${url}/register`);
    await audit.record(page, "register");
    await registerInBrowser(page, url);

    // Search: the query lands in the URL and narrows the listing to the mug.
    await page.getByTestId("search").fill(`Speckled Browser Mug ${run}`);
    await Promise.all([page.waitForURL(/\?q=/), page.getByRole("button", { name: "Show" }).click()]);
    expect(new URL(page.url()).searchParams.get("q")).toBe(`Speckled Browser Mug ${run}`);
    await expect(page.getByTestId("product-card").count()).resolves.toBe(1);
    await audit.record(page, "search-results");

    await Promise.all([
      page.waitForURL(`${url}/products/${mug.id}`),
      page.getByTestId("product-card").locator("a").click(),
    ]);
    expect(await page.getByTestId("availability").textContent()).toBe("in stock");
    await audit.record(page, "product");
    await page.getByTestId("quantity").fill("2");
    await Promise.all([page.waitForURL(/added=2/), page.getByTestId("add-to-cart").click()]);
    await addToCart(page, url, tea.id, 1);

    await Promise.all([page.waitForURL(`${url}/cart`), page.getByTestId("cart-link").click()]);
    await expect(page.getByTestId("cart-line").count()).resolves.toBe(2);
    expect(await page.getByTestId("cart-total").textContent()).toBe("€37.90");
    await audit.record(page, "cart");

    await Promise.all([page.waitForURL(`${url}/checkout`), page.getByTestId("checkout").click()]);
    await audit.record(page, "checkout");
    await fillCard(page, APPROVED);
    await Promise.all([page.waitForURL(/\/orders\/[^/]+\?placed=1$/), page.getByTestId("place-order").click()]);
    expect(await page.getByTestId("order-status").textContent()).toBe("CONFIRMED");
    await audit.record(page, "order-confirmed");
    const orderId = new URL(page.url()).pathname.split("/").pop()!;

    await page.goto(`${url}/orders`);
    expect(
      await page
        .locator(`[data-testid="order-row"][data-order-id="${orderId}"] [data-testid="order-status"]`)
        .textContent(),
    ).toBe("CONFIRMED");
    await audit.record(page, "orders");

    await eventually(async () => {
      await page.goto(`${url}/notifications`);
      return (await page.locator(`[data-testid="notification"][data-order-id="${orderId}"]`).count()) === 1;
    }, 20_000);
    await audit.record(page, "notifications");

    // Behind the pages: one confirmed order, stock taken, the cart empty.
    const token = await sessionToken(context);
    const orders = await ordersOf(url, token);
    expect(orders.map((o) => [o.id, o.status])).toEqual([[orderId, "CONFIRMED"]]);
    expect(await availableOf(url, mug.id)).toBe(38);
    expect(await availableOf(url, tea.id)).toBe(39);
    await page.goto(`${url}/cart`);
    await expect(page.getByTestId("cart-empty").count()).resolves.toBe(1);

    await Promise.all([page.waitForURL(`${url}/`), page.getByTestId("logout").click()]);
    await page.goto(`${url}/orders`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await audit.record(page, "login");
    await context.close();
  });

  it("a declined card leaves a FAILED order with the reason, nothing charged and the stock as it was", async () => {
    const { context, page } = await newShopper(browser);
    await registerInBrowser(page, url);
    const before = await availableOf(url, mug.id);
    await addToCart(page, url, mug.id, 1);
    await page.goto(`${url}/checkout`);
    await fillCard(page, DECLINED);
    await Promise.all([
      page.waitForResponse((r) => r.url() === `${url}/checkout` && r.request().method() === "POST"),
      page.getByTestId("place-order").click(),
    ]);
    await page.getByTestId("checkout-error").waitFor();
    expect(await page.getByTestId("checkout-error").textContent()).toMatch(/declined/i);
    expect(await page.getByTestId("order-status").textContent()).toBe("FAILED");
    await audit.record(page, "checkout-declined");

    const orders = await ordersOf(url, await sessionToken(context));
    expect(orders.map((o) => [o.status, o.payment])).toEqual([["FAILED", null]]);
    expect(await availableOf(url, mug.id)).toBe(before);

    // A new attempt (a new Idempotency-Key) with a good card goes through.
    await fillCard(page, APPROVED);
    await Promise.all([page.waitForURL(/placed=1/), page.getByTestId("place-order").click()]);
    expect(await page.getByTestId("order-status").textContent()).toBe("CONFIRMED");
    expect((await ordersOf(url, await sessionToken(context))).map((o) => o.status).sort()).toEqual([
      "CONFIRMED",
      "FAILED",
    ]);
    await context.close();
  });

  it("out of stock at checkout: the shopper is told, the order is REJECTED and nothing is charged", async () => {
    const lamp = await createProduct(
      url,
      adminToken,
      { sku: `WEB-LAMP-${run}`, name: `Last Browser Lamp ${run}`, category: "home", priceCents: 5900 },
      1,
    );
    const { context, page } = await newShopper(browser);
    await registerInBrowser(page, url);
    await page.goto(`${url}/products/${lamp.id}`);
    expect(await page.getByTestId("availability").textContent()).toBe("1 left");
    await addToCart(page, url, lamp.id, 1);
    await setStock(url, adminToken, lamp.id, 0); // sold elsewhere in the meantime

    await page.goto(`${url}/products/${lamp.id}`);
    expect(await page.getByTestId("availability").textContent()).toBe("sold out");
    expect(await page.getByTestId("add-to-cart").isDisabled()).toBe(true);
    await audit.record(page, "product-sold-out");

    await page.goto(`${url}/checkout`);
    await fillCard(page, APPROVED);
    await Promise.all([
      page.waitForResponse((r) => r.url() === `${url}/checkout` && r.request().method() === "POST"),
      page.getByTestId("place-order").click(),
    ]);
    expect(await page.getByTestId("checkout-error").textContent()).toMatch(/no longer in stock/);
    expect(await page.getByTestId("order-status").textContent()).toBe("REJECTED");
    await audit.record(page, "checkout-out-of-stock");

    const orders = await ordersOf(url, await sessionToken(context));
    expect(orders.map((o) => [o.status, o.payment])).toEqual([["REJECTED", null]]);
    expect(await availableOf(url, lamp.id)).toBe(0);
    await context.close();
  });

  it.each([
    ["with the page's script", true],
    ["without JavaScript", false],
  ])("a double click on place order makes exactly one order (%s)", async (_label, javaScriptEnabled) => {
    const { context, page } = await newShopper(browser, { javaScriptEnabled });
    await registerInBrowser(page, url);
    await addToCart(page, url, tea.id, 1);
    const before = await availableOf(url, tea.id);
    await page.goto(`${url}/checkout`);
    await fillCard(page, APPROVED);
    await page.getByTestId("place-order").dblclick();
    await page.waitForURL(/placed=1/);
    expect(await page.getByTestId("order-status").textContent()).toBe("CONFIRMED");

    // A reload of the confirmation and a re-post of the same attempt change nothing either.
    await page.reload();
    const orders = await ordersOf(url, await sessionToken(context));
    expect(orders.map((o) => o.status)).toEqual(["CONFIRMED"]);
    expect(await availableOf(url, tea.id)).toBe(before! - 1);
    await context.close();
  });

  it("the admin creates and stocks a product; a shopper finds it and buys it", async () => {
    const name = `Admin Made Teapot ${run}`;
    const admin = await newShopper(browser);
    await loginInBrowser(admin.page, url, ADMIN.email, ADMIN.password);
    await admin.page.goto(`${url}/admin`);
    expect(new URL(admin.page.url()).pathname).toBe("/admin/products");
    await audit.record(admin.page, "admin-products");
    await admin.page.getByTestId("new-product").click();
    await admin.page.waitForURL(`${url}/admin/products/new`);
    await admin.page.getByTestId("product-sku").fill(`WEB-POT-${run}`);
    await admin.page.getByTestId("product-category").fill("kitchen");
    await admin.page.getByTestId("product-name").fill(name);
    await admin.page.getByTestId("product-description").fill("Cast iron, holds a litre.");
    await admin.page.getByTestId("product-price").fill("39.50");
    await audit.record(admin.page, "admin-new-product");
    await Promise.all([admin.page.waitForURL(/notice=created/), admin.page.getByTestId("save-product").click()]);
    const row = admin.page.locator('[data-testid="admin-product"]', { hasText: name });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain("sold out");
    await row.getByTestId("stock-quantity").fill("3");
    await Promise.all([admin.page.waitForURL(/notice=stock/), row.getByTestId("set-stock").click()]);
    expect(await admin.page.locator('[data-testid="admin-product"]', { hasText: name }).textContent()).toContain(
      "3 left",
    );

    // Edit: a new price shows in the shop.
    await Promise.all([
      admin.page.waitForURL(/\/admin\/products\/[^/]+$/),
      admin.page.getByRole("link", { name }).click(),
    ]);
    await audit.record(admin.page, "admin-edit-product");
    await admin.page.getByTestId("product-price").fill("35.00");
    await Promise.all([admin.page.waitForURL(/notice=saved/), admin.page.getByTestId("save-product").click()]);

    const shopper = await newShopper(browser);
    await registerInBrowser(shopper.page, url);
    await shopper.page.goto(`${url}/?q=${encodeURIComponent(name)}`);
    const card = shopper.page.getByTestId("product-card");
    expect(await card.count()).toBe(1);
    expect(await card.textContent()).toContain("€35.00");
    expect(await card.getByTestId("availability").textContent()).toBe("3 left");
    await Promise.all([shopper.page.waitForURL(/\/products\//), card.locator("a").click()]);
    await Promise.all([shopper.page.waitForURL(/added=1/), shopper.page.getByTestId("add-to-cart").click()]);
    await shopper.page.goto(`${url}/checkout`);
    await fillCard(shopper.page, APPROVED);
    await Promise.all([shopper.page.waitForURL(/placed=1/), shopper.page.getByTestId("place-order").click()]);
    expect(await shopper.page.getByTestId("order-status").textContent()).toBe("CONFIRMED");

    // The admin sees it among all orders; the stock went down by one.
    await admin.page.goto(`${url}/admin/orders`);
    await audit.record(admin.page, "admin-orders");
    const [order] = await ordersOf(url, await sessionToken(shopper.context));
    expect(await admin.page.locator(`[data-testid="order-row"][data-order-id="${order.id}"]`).count()).toBe(1);
    await admin.page.goto(`${url}/admin/products`);
    expect(await admin.page.locator('[data-testid="admin-product"]', { hasText: name }).textContent()).toContain(
      "2 left",
    );

    // Deactivate: gone from the shop.
    await admin.page.locator('[data-testid="admin-product"]', { hasText: name }).getByRole("link", { name }).click();
    await Promise.all([admin.page.waitForURL(/notice=deactivated/), admin.page.getByTestId("deactivate").click()]);
    const gone = await shopper.page.goto(`${url}/products/${order.items[0].productId}`);
    expect(gone?.status()).toBe(404);
    await admin.context.close();
    await shopper.context.close();
  });

  it("a customer gets the 403 page on admin pages; a visitor is sent to log in", async () => {
    const { context, page } = await newShopper(browser);
    const anonymous = await page.goto(`${url}/admin/products`);
    expect(anonymous?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/login");
    await registerInBrowser(page, url);
    for (const path of [
      "/admin",
      "/admin/products",
      "/admin/products/new",
      "/admin/orders",
      `/admin/products/${mug.id}`,
    ]) {
      const res = await page.goto(`${url}${path}`);
      expect([path, res?.status()]).toEqual([path, 403]);
      expect(await page.getByTestId("forbidden").count()).toBe(1);
    }
    await audit.record(page, "forbidden");
    // A customer's form post to an admin action is refused the same way.
    const token = await page.locator('input[name="_csrf"]').first().inputValue();
    const res = await page.request.post(`${url}/admin/stock/${mug.id}`, {
      form: { _csrf: token, quantity: "999" },
      headers: { origin: url },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
    expect(await availableOf(url, mug.id)).not.toBe(999);
    await context.close();
  });

  it("refuses form posts without the page's token or from another site", async () => {
    const { context, page } = await newShopper(browser);
    await registerInBrowser(page, url);
    const token = await page.locator('input[name="_csrf"]').first().inputValue();
    const post = (form: Record<string, string>, origin: string) =>
      page.request.post(`${url}/cart/items`, { form, headers: { origin }, maxRedirects: 0 });

    expect((await post({ productId: mug.id, quantity: "1" }, url)).status()).toBe(403);
    expect((await post({ productId: mug.id, quantity: "1", _csrf: "forged" }, url)).status()).toBe(403);
    expect((await post({ productId: mug.id, quantity: "1", _csrf: token }, "https://evil.example")).status()).toBe(403);
    await page.goto(`${url}/cart`);
    expect(await page.getByTestId("cart-empty").count()).toBe(1);

    const ok = await post({ productId: mug.id, quantity: "1", _csrf: token }, url);
    expect(ok.status()).toBe(303);
    await page.goto(`${url}/cart`);
    expect(await page.getByTestId("cart-line").count()).toBe(1);

    // The session cookie is out of reach of page scripts and cross-site requests.
    const session = (await context.cookies()).find((c) => c.name === "agora_session")!;
    expect([session.httpOnly, session.sameSite]).toEqual([true, "Lax"]);
    await context.close();
  });

  it("answers unknown pages and products with the site's 404 page, and the API with JSON", async () => {
    const { context, page } = await newShopper(browser);
    for (const path of ["/no-such-page", "/products/000000000000000000000000", "/products/not-an-id", "/orders/x/y"]) {
      const res = await page.goto(`${url}${path}`);
      expect([path, res?.status()]).toEqual([path, 404]);
      expect(await page.locator("h1").textContent()).toBe("Page not found");
      expect(await page.content()).not.toMatch(/at .+\.js:\d+|Error:/);
    }
    await audit.record(page, "not-found");
    const api = await request(url, "GET", "/api/v1/no-such-thing");
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toMatch(/application\/json/);
    await context.close();
  });

  it("works on a phone-sized screen", async () => {
    const { context, page } = await newShopper(browser, {
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    await registerInBrowser(page, url);
    const fits = () => page.evaluate("document.documentElement.scrollWidth <= window.innerWidth");
    await page.goto(`${url}/?category=kitchen`);
    expect(await fits()).toBe(true);
    await audit.record(page, "mobile-catalog");
    await page.goto(`${url}/products/${mug.id}`);
    expect(await fits()).toBe(true);
    await Promise.all([page.waitForURL(/added=1/), page.getByTestId("add-to-cart").tap()]);
    await page.getByTestId("cart-link").tap();
    await page.waitForURL(`${url}/cart`);
    expect(await fits()).toBe(true);
    await audit.record(page, "mobile-cart");
    await page.getByTestId("checkout").tap();
    await page.waitForURL(`${url}/checkout`);
    expect(await fits()).toBe(true);
    await fillCard(page, APPROVED);
    await audit.record(page, "mobile-checkout");
    await Promise.all([page.waitForURL(/placed=1/), page.getByTestId("place-order").tap()]);
    expect(await page.getByTestId("order-status").textContent()).toBe("CONFIRMED");
    await audit.record(page, "mobile-order");
    await context.close();
  });

  it("has no serious or critical accessibility violations on any page visited", () => {
    expect(audit.violations.size).toBeGreaterThanOrEqual(15);
    expect(audit.failing()).toEqual({});
  });
});
