import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { chromiumPath } from "../helpers/chromium";
import { request } from "../helpers/http";

/**
 * Pieces shared by the storefront suites: Debian's Chromium driven by
 * playwright-core, shoppers as fresh browser contexts, axe-core audits,
 * screenshots under test-artifacts/storefront, and the REST calls the tests
 * use to look behind the pages (stock levels, orders).
 */

export const ARTIFACTS = path.resolve(__dirname, "../../test-artifacts/storefront");
export const ADMIN = { email: "admin@example.com", password: "admin-browser-passphrase" };
export const APPROVED = "4242 4242 4242 4242";
export const DECLINED = "4000 0000 0000 0002";

/** Chromium from the path, or CHROMIUM_PATH (docs/testing.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function newShopper(
  browser: Browser,
  opts: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
  const page = await context.newPage();
  return { context, page };
}

let shopperCounter = 0;
export function uniqueEmail(prefix = "shopper"): string {
  return `${prefix}-${process.pid}-${Date.now()}-${++shopperCounter}@example.com`;
}

export async function registerInBrowser(page: Page, baseUrl: string, email = uniqueEmail()): Promise<string> {
  await page.goto(`${baseUrl}/register`);
  await page.getByTestId("name").fill("Test Shopper");
  await page.getByTestId("email").fill(email);
  await page.getByTestId("password").fill("correct horse battery");
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.getByTestId("submit").click()]);
  return email;
}

export async function loginInBrowser(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId("email").fill(email);
  await page.getByTestId("password").fill(password);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.getByTestId("submit").click()]);
}

/** The session token the browser holds (HttpOnly: pages cannot read it, the test harness can). */
export async function sessionToken(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === "agora_session");
  if (!cookie) throw new Error("no session cookie");
  return cookie.value;
}

export async function addToCart(page: Page, baseUrl: string, productId: string, quantity = 1): Promise<void> {
  await page.goto(`${baseUrl}/products/${productId}`);
  await page.getByTestId("quantity").fill(String(quantity));
  await Promise.all([page.waitForURL(/added=/), page.getByTestId("add-to-cart").click()]);
}

export async function fillCard(page: Page, number: string, expiry = "12/30", cvc = "123"): Promise<void> {
  await page.getByTestId("card-number").fill(number);
  await page.getByTestId("card-expiry").fill(expiry);
  await page.getByTestId("card-cvc").fill(cvc);
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA rules). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const source = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  // Evaluated over the DevTools protocol: the site's Content-Security-Policy does not apply to it.
  await page.evaluate(source);
  const rules = JSON.stringify({
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
  });
  const result = (await page.evaluate(`axe.run(document, ${rules})`)) as {
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
  };
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * Records a page for the suite: a full-page screenshot in test-artifacts/
 * and its accessibility violations, collected per page name so one assertion
 * at the end lists every page that failed.
 */
export class PageAudit {
  readonly violations = new Map<string, string[]>();

  async record(page: Page, name: string): Promise<void> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    this.violations.set(name, await accessibilityViolations(page));
  }

  failing(): Record<string, string[]> {
    return Object.fromEntries([...this.violations].filter(([, v]) => v.length > 0));
  }
}

// REST, to look behind the pages.

export async function apiLogin(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await request<{ token: string }>(baseUrl, "POST", "/api/v1/auth/login", { body: { email, password } });
  if (res.status !== 200) throw new Error(`login ${res.status}: ${res.text}`);
  return res.body.token;
}

export interface ApiProduct {
  id: string;
  name: string;
  available: number | null;
}

export async function createProduct(
  baseUrl: string,
  adminToken: string,
  fields: { sku: string; name: string; category: string; priceCents: number; description?: string },
  stock: number,
): Promise<ApiProduct> {
  const res = await request<ApiProduct>(baseUrl, "POST", "/api/v1/products", {
    token: adminToken,
    body: { currency: "EUR", description: `${fields.name}, made for the browser tests.`, ...fields },
  });
  if (res.status !== 201) throw new Error(`create product ${res.status}: ${res.text}`);
  await setStock(baseUrl, adminToken, res.body.id, stock);
  return res.body;
}

export async function setStock(baseUrl: string, adminToken: string, productId: string, quantity: number) {
  const res = await request(baseUrl, "PUT", `/api/v1/inventory/${productId}`, {
    token: adminToken,
    body: { quantity },
  });
  if (res.status !== 200) throw new Error(`set stock ${res.status}: ${res.text}`);
}

export async function availableOf(baseUrl: string, productId: string): Promise<number | null> {
  const res = await request<ApiProduct>(baseUrl, "GET", `/api/v1/products/${productId}`);
  if (res.status !== 200) throw new Error(`get product ${res.status}: ${res.text}`);
  return res.body.available;
}

export interface ApiOrder {
  id: string;
  status: string;
  payment: { brand: string; last4: string } | null;
  items: { productId: string; quantity: number }[];
}

export async function ordersOf(baseUrl: string, token: string): Promise<ApiOrder[]> {
  const res = await request<{ rows: ApiOrder[] }>(baseUrl, "GET", "/api/v1/orders?pageSize=100", { token });
  if (res.status !== 200) throw new Error(`orders ${res.status}: ${res.text}`);
  return res.body.rows;
}
