import { request, get } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";

/** Login and register share a per-address limit; other routes are not limited. */

let node: TestNode;
const LIMIT = 3;

beforeAll(async () => {
  // Read when the gateway's module loads, which startNode does.
  process.env.AUTH_RATE_LIMIT = String(LIMIT);
  process.env.AUTH_RATE_WINDOW_MS = "60000";
  node = await startNode(["api", "users", "catalog"]);
});
afterAll(async () => {
  await node?.stop();
});

it("answers 429 with Retry-After and a JSON error once the limit is used up", async () => {
  const login = () =>
    request(node.url, "POST", "/api/v1/auth/login", { body: { email: "x@example.com", password: "whatever1" } });
  for (let i = 0; i < LIMIT - 1; i++) expect((await login()).status).toBe(401);
  // Register counts against the same limit.
  const reg = await request(node.url, "POST", "/api/v1/auth/register", {
    body: { email: "rl@example.com", password: "password-1", name: "R" },
  });
  expect(reg.status).toBe(201);

  const limited = await login();
  expect(limited.status).toBe(429);
  expect(limited.headers.get("content-type")).toContain("application/json");
  expect(limited.body).toMatchObject({ code: 429, name: expect.any(String), message: expect.any(String) });
  const retryAfter = Number(limited.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);

  // A spoofed X-Forwarded-For does not buy a new budget (TRUST_PROXY is off).
  const spoofed = await request(node.url, "POST", "/api/v1/auth/login", {
    body: { email: "x@example.com", password: "whatever1" },
    headers: { "x-forwarded-for": "203.0.113.7" },
  });
  expect(spoofed.status).toBe(429);

  const registerLimited = await request(node.url, "POST", "/api/v1/auth/register", {
    body: { email: "rl2@example.com", password: "password-1", name: "R" },
  });
  expect(registerLimited.status).toBe(429);
});

it("does not limit the other routes", async () => {
  for (let i = 0; i < LIMIT * 3; i++) expect((await get(node.url, "/api/v1/products")).status).toBe(200);
});
