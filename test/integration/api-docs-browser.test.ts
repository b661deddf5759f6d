import { execFileSync } from "node:child_process";
import { chromium, type Browser } from "playwright-core";
import { startNode, type TestNode } from "../helpers/node";

/** /api/docs in a real browser: swagger-ui loads from the gateway (no CDN) and lists the live operations. */

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error("No Chromium found: install it (apt-get install chromium) or set CHROMIUM_PATH");
}

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
