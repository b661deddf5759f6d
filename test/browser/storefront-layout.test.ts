import type { Browser, BrowserContextOptions, Cookie, Page } from "playwright-core";
import { builtServices } from "../cluster/cluster";
import { eventually, startAgoraNode, stopAll, type AgoraNode } from "../helpers/processes";
import {
  ADMIN,
  APPROVED,
  PageAudit,
  addToCart,
  apiLogin,
  createProduct,
  fillCard,
  launchChromium,
  loginInBrowser,
  newShopper,
  registerInBrowser,
  type ApiProduct,
} from "./storefront-support";

/**
 * Every page of the storefront fits the screen at a desktop's 1280 × 800 and
 * a phone's 390 × 844: the page does not scroll sideways, and nothing (a
 * table's last columns, a button) lies beyond the right edge inside a
 * scrolling box either. Each page is audited with axe-core at both sizes.
 * The scene has long names and a cart and orders with lines in them, so the
 * tables are as wide as a real shopper's.
 */
jest.setTimeout(300_000);

const SIZES: Record<string, BrowserContextOptions> = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

/**
 * What sticks out of the viewport: the page's own width, and every visible
 * element whose right edge is past it (a string: the test code has no DOM types).
 */
const OVERFLOW = `(() => {
  const width = window.innerWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push("the page is " + document.documentElement.scrollWidth + " px wide");
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width <= 1 || style.visibility === "hidden" || style.position === "absolute") continue;
    // Inside a box that clips (a visually hidden table head): not on screen at all. Inside one that scrolls: counted.
    let clipped = false;
    for (let up = el.parentElement; up && !clipped; up = up.parentElement) {
      const o = getComputedStyle(up).overflowX;
      clipped = o === "hidden" || o === "clip";
    }
    if (clipped) continue;
    if (box.right > width + 0.5) {
      out.push("<" + el.tagName.toLowerCase() + ' class="' + (el.getAttribute("class") || "") + '"> ends at ' + Math.round(box.right) + " px");
    }
  }
  return out.slice(0, 5);
})()`;

const overflow = (page: Page) => page.evaluate(OVERFLOW) as Promise<string[]>;

describe("every storefront page fits a desktop and a phone screen", () => {
  let node: AgoraNode;
  let url: string;
  let browser: Browser;
  let product: ApiProduct;
  let orderId: string;
  let shopper: Cookie[];
  let admin: Cookie[];
  const audit = new PageAudit();
  const problems: Record<string, string[]> = {};
  const run = `${process.pid}`.slice(-5);

  beforeAll(async () => {
    node = await startAgoraNode({
      services: builtServices(),
      env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    });
    url = node.url;
    browser = await launchChromium();
    const adminToken = await apiLogin(url, ADMIN.email, ADMIN.password);
    product = await createProduct(
      url,
      adminToken,
      {
        sku: `LAYOUT-${run}`,
        name: `Hand-thrown Stoneware Serving Bowl with Speckled Glaze ${run}`,
        category: "kitchen",
        priceCents: 124_950,
      },
      100,
    );
    const second = await createProduct(
      url,
      adminToken,
      { sku: `LAYOUT2-${run}`, name: `Linen Tea Towels, Set of Three ${run}`, category: "kitchen", priceCents: 2_450 },
      100,
    );
    // A shopper with a confirmed order, its notification, and a cart with two lines in it.
    const { context, page } = await newShopper(browser);
    await registerInBrowser(page, url);
    await addToCart(page, url, product.id, 12);
    await page.goto(`${url}/checkout`);
    await fillCard(page, APPROVED);
    await Promise.all([page.waitForURL(/placed=1/), page.getByTestId("place-order").click()]);
    orderId = new URL(page.url()).pathname.split("/").pop()!;
    await eventually(async () => {
      await page.goto(`${url}/notifications`);
      return (await page.getByTestId("notification").count()) > 0;
    });
    await addToCart(page, url, product.id, 3);
    await addToCart(page, url, second.id, 2);
    shopper = await context.cookies();
    await context.close();
    const adminSide = await newShopper(browser);
    await loginInBrowser(adminSide.page, url, ADMIN.email, ADMIN.password);
    admin = await adminSide.context.cookies();
    await adminSide.context.close();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  const pages = (): [string, "visitor" | "shopper" | "admin", string, number][] => [
    ["catalog", "visitor", "/", 200],
    ["product", "visitor", `/products/${product.id}`, 200],
    ["login", "visitor", "/login", 200],
    ["register", "visitor", "/register", 200],
    ["not-found", "visitor", "/no-such-page", 404],
    ["catalog-signed-in", "shopper", "/", 200],
    ["product-signed-in", "shopper", `/products/${product.id}`, 200],
    ["cart", "shopper", "/cart", 200],
    ["checkout", "shopper", "/checkout", 200],
    ["orders", "shopper", "/orders", 200],
    ["order", "shopper", `/orders/${orderId}`, 200],
    ["notifications", "shopper", "/notifications", 200],
    ["not-found-signed-in", "shopper", "/no-such-page", 404],
    ["forbidden", "shopper", "/admin", 403],
    ["admin", "admin", "/admin", 200],
    ["admin-products", "admin", "/admin/products", 200],
    ["admin-new-product", "admin", "/admin/products/new", 200],
    ["admin-edit-product", "admin", `/admin/products/${product.id}`, 200],
    ["admin-orders", "admin", "/admin/orders", 200],
  ];

  it.each(Object.keys(SIZES))("at %s size", async (size) => {
    for (const who of ["visitor", "shopper", "admin"] as const) {
      const { context, page } = await newShopper(browser, SIZES[size]);
      if (who !== "visitor") await context.addCookies(who === "admin" ? admin : shopper);
      for (const [name, as, path, status] of pages()) {
        if (as !== who) continue;
        const res = await page.goto(`${url}${path}`);
        expect([name, res?.status()]).toEqual([name, status]);
        const sticking = await overflow(page);
        if (sticking.length) problems[`${name} (${size})`] = sticking;
        await audit.record(page, `layout-${size}-${name}`);
      }
      await context.close();
    }
  });

  it("nothing sticks out at either size, and axe finds no serious or critical violation", () => {
    expect(problems).toEqual({});
    expect(audit.violations.size).toBe(pages().length * Object.keys(SIZES).length);
    expect(audit.failing()).toEqual({});
  });
});
