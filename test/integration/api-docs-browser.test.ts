import { chromium, type Browser } from "playwright-core";
import { chromiumPath } from "../helpers/chromium";
import { startNode, type TestNode } from "../helpers/node";

/** /api/docs in a real browser: swagger-ui loads from the gateway (no CDN) and lists the live operations. */

let node: TestNode;
let browser: Browser | undefined;

beforeAll(async () => {
  node = await startNode(["api", "users", "catalog"]);
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox"] });
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

it("renders the generated document with every operation, loading nothing from elsewhere", async () => {
  const page = await browser!.newPage();
  const foreign: string[] = [];
  page.on("request", (req) => {
    if (!req.url().startsWith(node.url) && !req.url().startsWith("data:")) foreign.push(req.url());
  });
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));

  await page.goto(`${node.url}/api/docs`);
  await page.locator(".opblock").first().waitFor({ timeout: 30_000 });
  const summaries = await page.locator(".opblock-summary-path").allTextContents();
  const paths = summaries.map((s) => s.replace(/\u200b/g, "").trim());
  expect(paths).toEqual(expect.arrayContaining(["/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/me"]));
  expect(paths).toContain("/api/v1/products/{id}");
  expect(await page.locator(".title").first().textContent()).toContain("Agora API");
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
  await page.close();
});
