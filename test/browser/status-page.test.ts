import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { chromiumPath } from "../helpers/chromium";
import { eventually, startAgoraNode, startNats, stopAll, type AgoraNode } from "../helpers/processes";

/**
 * The live topology page in a real browser (Debian's chromium through
 * playwright-core) against a real cluster: the gateway and two catalog
 * replicas as separate processes over nats-server. The page lists both
 * replicas; after one is killed (SIGKILL, so it cannot say goodbye) it
 * disappears within the heartbeat timeout, without reloading the page.
 */
const ARTIFACTS = path.resolve(__dirname, "../../test-artifacts");
const HEARTBEAT = { HEARTBEAT_INTERVAL: "1", HEARTBEAT_TIMEOUT: "4" };

describe("/status in a browser", () => {
  let browser: Browser;
  let page: Page;
  let gateway: AgoraNode;
  let replicas: AgoraNode[];

  beforeAll(async () => {
    const nats = await startNats();
    const start = (services: string[], nodeID: string, env: NodeJS.ProcessEnv = {}) =>
      startAgoraNode({ services, nodeID, transporter: nats.url, env: { ...HEARTBEAT, ...env } });
    [gateway, ...replicas] = await Promise.all([
      // Production defaults to an admin-only page; this cluster shows it openly.
      start(["api"], "status-gateway", { STATUS_PAGE: "public" }),
      start(["catalog"], "status-catalog-1"),
      start(["catalog"], "status-catalog-2"),
    ]);
    browser = await chromium.launch({
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
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  const card = (nodeID: string) => page.locator(`[data-node-id="${nodeID}"]`);
  const catalogInstances = () => page.locator('tr[data-service="catalog"] td.count');

  it("lists the nodes, both catalog replicas and the instance count, live", async () => {
    await page.goto(`${gateway.url}/status`);
    await card("status-catalog-1").waitFor({ timeout: 30_000 });
    await card("status-catalog-2").waitFor({ timeout: 30_000 });
    await card("status-gateway").waitFor();
    expect(await catalogInstances().textContent()).toBe("2");
    await eventually(async () => (await card("status-catalog-1").getAttribute("data-health")) === "ready", 20_000);
    expect(await card("status-catalog-1").textContent()).toContain("catalog");
    expect(await card("status-gateway").textContent()).toContain("this gateway");

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "status-page.png"), fullPage: true });
  });

  it("drops a killed replica within the heartbeat timeout, without a reload", async () => {
    await replicas[1].kill();
    // HEARTBEAT_TIMEOUT is 4 s; the page polls every 2 s. Allow generous slack for a loaded machine.
    await card("status-catalog-2").waitFor({ state: "detached", timeout: 30_000 });
    await eventually(async () => (await catalogInstances().textContent()) === "1", 10_000);
    expect(await card("status-catalog-1").count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, "status-page-after-kill.png"), fullPage: true });
  });
});
