import path from "node:path";
import type { ServiceBroker } from "moleculer";
import type { Browser } from "playwright-core";
import {
  eventually,
  startAgoraNode,
  startNats,
  startProcess,
  stopAll,
  type AgoraNode,
  type NatsServer,
} from "../helpers/processes";
import { FAST_HEARTBEAT, servicesSeenBy, startObserver } from "../cluster/cluster";
import {
  ADMIN,
  APPROVED,
  PageAudit,
  addToCart,
  apiLogin,
  createProduct,
  fillCard,
  launchChromium,
  newShopper,
  ordersOf,
  registerInBrowser,
  sessionToken,
  type ApiProduct,
} from "./storefront-support";

/**
 * The storefront against the shop spread over processes joined by a real
 * nats-server, each started like `npm start` from the production build: the
 * gateway with the web service, the shop's core services, and inventory,
 * orders and payments on nodes of their own so each can be taken away.
 * A browser shops through it; then nodes are killed and the pages must stay
 * honest: browsing and the cart keep working, checkout says when to try
 * again, products say their availability is unknown.
 */
const RECOMMENDATIONS_BIN = path.resolve(__dirname, "../../dist/recommendations");

jest.setTimeout(240_000);

describe("storefront over a NATS cluster", () => {
  const namespace = `storefront${process.pid}`;
  let nats: NatsServer;
  let gateway: AgoraNode;
  let payments: AgoraNode;
  let inventory: AgoraNode;
  let observer: ServiceBroker;
  let browser: Browser;
  let url: string;
  let mug: ApiProduct;
  let tea: ApiProduct;
  const audit = new PageAudit();
  const env = {
    ...FAST_HEARTBEAT,
    NAMESPACE: namespace,
    JWT_SECRET: "storefront-cluster-secret-0123456789abcdef",
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  };
  const start = (services: string[], nodeID: string) =>
    startAgoraNode({ services, nodeID, transporter: nats.url, env });

  /** Waits until `nodeID` no longer sees any node offering `service`. */
  const goneFrom = (nodeID: string, service: string) =>
    eventually(async () => !(await servicesSeenBy(observer, nodeID)).has(service), 30_000);

  beforeAll(async () => {
    nats = await startNats();
    [gateway, , inventory, , payments] = await Promise.all([
      start(["api", "web"], "sf-gateway"),
      start(["users", "catalog", "cart", "notifications"], "sf-shop"),
      start(["inventory"], "sf-inventory"),
      start(["orders"], "sf-orders"),
      start(["payments"], "sf-payments"),
    ]);
    url = gateway.url;
    observer = await startObserver(nats.url, namespace);
    browser = await launchChromium();
    // The gateway routes to a service once it has seen it.
    const admin = await eventually(() => apiLogin(url, ADMIN.email, ADMIN.password).catch(() => null), 30_000);
    const run = `${process.pid}`.slice(-5);
    mug = await createProduct(
      url,
      admin,
      { sku: `CL-MUG-${run}`, name: `Cluster Mug ${run}`, category: "kitchen", priceCents: 1200 },
      30,
    );
    tea = await createProduct(
      url,
      admin,
      { sku: `CL-TEA-${run}`, name: `Cluster Tea ${run}`, category: "pantry", priceCents: 700 },
      30,
    );
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await observer?.stop();
    await stopAll();
  });

  it("a shopper registers, fills the cart and pays across the processes", async () => {
    const { context, page } = await newShopper(browser);
    await registerInBrowser(page, url);
    await addToCart(page, url, mug.id, 1);
    await addToCart(page, url, tea.id, 2);
    await page.getByTestId("cart-link").click();
    await page.waitForURL(`${url}/cart`);
    expect(await page.getByTestId("cart-line").count()).toBe(2);
    await page.getByTestId("checkout").click();
    await page.waitForURL(`${url}/checkout`);
    await fillCard(page, APPROVED);
    await Promise.all([page.waitForURL(/placed=1/), page.getByTestId("place-order").click()]);
    expect(await page.getByTestId("order-status").textContent()).toBe("CONFIRMED");
    await audit.record(page, "cluster-order-confirmed");
    const orders = await ordersOf(url, await sessionToken(context));
    expect(orders.map((o) => o.status)).toEqual(["CONFIRMED"]);
    await context.close();
  });

  it('shows "customers also bought" while the recommendations node runs, and hides it when none does', async () => {
    // The Go recommendations node (services/recommendations, built into dist/ by `npm run build`).
    const recommender = startProcess(RECOMMENDATIONS_BIN, [], {
      ...env,
      NODE_ENV: "production",
      NODE_ID: "sf-recommendations",
      TRANSPORTER: nats.url,
      DATA_DIR: ":memory:",
      HEALTH_PORT: "0",
      METRICS_PORT: "0",
    });
    await eventually(async () => (await servicesSeenBy(observer, "sf-gateway")).has("recommendations"), 30_000);
    const { context, page } = await newShopper(browser);
    // Nothing bought together yet: it recommends the product's category (the demo catalog's kitchen).
    await eventually(async () => {
      await page.goto(`${url}/products/${mug.id}`);
      return (await page.getByTestId("recommendations").count()) === 1;
    }, 20_000);
    const slot = page.getByTestId("recommendations");
    expect(await slot.getByTestId("product-card").count()).toBeGreaterThan(0);
    expect(await slot.locator(`[data-product-id="${mug.id}"]`).count()).toBe(0);
    await audit.record(page, "cluster-product-recommendations");

    await recommender.kill();
    await goneFrom("sf-gateway", "recommendations");
    const res = await page.goto(`${url}/products/${mug.id}`);
    expect(res?.status()).toBe(200);
    expect(await page.getByTestId("recommendations").count()).toBe(0);
    expect(await page.getByTestId("add-to-cart").count()).toBe(1);
    await context.close();
  });

  it("without payments: browsing and the cart work, checkout says when to try again, and recovers", async () => {
    const { context, page } = await newShopper(browser);
    await registerInBrowser(page, url);
    await payments.kill();
    await goneFrom("sf-orders", "payments");

    const home = await page.goto(`${url}/`);
    expect(home?.status()).toBe(200);
    expect(await page.getByTestId("product-card").count()).toBeGreaterThan(0);
    await addToCart(page, url, mug.id, 1);
    await page.goto(`${url}/cart`);
    expect(await page.getByTestId("cart-line").count()).toBe(1);

    await page.goto(`${url}/checkout`);
    await fillCard(page, APPROVED);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${url}/checkout` && r.request().method() === "POST"),
      page.getByTestId("place-order").click(),
    ]);
    expect(answer.status()).toBe(503);
    // The page asks for the wait the API's Retry-After does (UNAVAILABLE_RETRY_AFTER, 5 s by default).
    expect(answer.headers()["retry-after"]).toBe("5");
    await page.getByTestId("checkout-error").waitFor();
    expect(await page.getByTestId("checkout-error").textContent()).toMatch(
      /nothing was charged.*try again in\s*5\s*s/is,
    );
    await audit.record(page, "cluster-checkout-payments-down");

    payments = await start(["payments"], "sf-payments-2");
    await eventually(async () => (await servicesSeenBy(observer, "sf-orders")).has("payments"), 30_000);
    await fillCard(page, APPROVED);
    await Promise.all([page.waitForURL(/placed=1/), page.getByTestId("place-order").click()]);
    expect(await page.getByTestId("order-status").textContent()).toBe("CONFIRMED");
    const orders = await ordersOf(url, await sessionToken(context));
    expect(orders.map((o) => o.status).sort()).toEqual(["CONFIRMED", "FAILED"]);
    await context.close();
  });

  it('without inventory: products say "availability unknown", never "sold out", and can still be carted', async () => {
    const { context, page } = await newShopper(browser);
    await registerInBrowser(page, url);
    await inventory.kill();
    await goneFrom("sf-shop", "inventory");

    await page.goto(`${url}/?q=${encodeURIComponent(mug.name)}`);
    expect(await page.getByTestId("product-card").getByTestId("availability").textContent()).toBe(
      "availability unknown",
    );
    await page.goto(`${url}/products/${mug.id}`);
    expect(await page.getByTestId("availability").textContent()).toBe("availability unknown");
    expect(await page.getByTestId("add-to-cart").isEnabled()).toBe(true);
    await audit.record(page, "cluster-product-inventory-down");
    await addToCart(page, url, mug.id, 1);
    await page.goto(`${url}/cart`);
    expect(await page.getByTestId("cart-line").count()).toBe(1);
    await context.close();
  });

  it("has no serious or critical accessibility violations on those pages", () => {
    expect(audit.violations.size).toBe(4);
    expect(audit.failing()).toEqual({});
  });
});
