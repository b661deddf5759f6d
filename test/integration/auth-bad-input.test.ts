import { request } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";

/**
 * Hostile and malformed input on the auth routes: always a 4xx JSON error,
 * never a 500, never a stored change, never an echo of the password.
 */

let node: TestNode;

async function storedUsers(): Promise<number> {
  const users = node.broker.getLocalService("users") as unknown as { adapter: { count(): Promise<number> } };
  return users.adapter.count();
}

beforeAll(async () => {
  node = await startNode(["api", "users"]);
  const res = await request(node.url, "POST", "/api/v1/auth/register", {
    body: { email: "victim@example.com", password: "victim-password", name: "Victim" },
  });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await node?.stop();
});

const valid = { email: "new@example.com", password: "good-password", name: "New" };
const long = (n: number) => "x".repeat(n);

type Case = [string, { body?: unknown; rawBody?: string; headers?: Record<string, string> }, number];

const registerCases: Case[] = [
  ["email of the wrong type", { body: { ...valid, email: 42 } }, 422],
  ["password of the wrong type", { body: { ...valid, password: 12345678 } }, 422],
  ["name as an array", { body: { ...valid, name: ["a"] } }, 422],
  ["a missing email", { body: { password: valid.password, name: valid.name } }, 422],
  ["a missing password", { body: { email: valid.email, name: valid.name } }, 422],
  ["a missing name", { body: { email: valid.email, password: valid.password } }, 422],
  ["an empty body", { body: {} }, 422],
  ["an invalid email", { body: { ...valid, email: "not-an-email" } }, 422],
  ["a short password", { body: { ...valid, password: "short" } }, 422],
  ["a 129-character password", { body: { ...valid, password: long(129) } }, 422],
  ["a 101-character name", { body: { ...valid, name: long(101) } }, 422],
  ["an empty name", { body: { ...valid, name: "" } }, 422],
  ["a huge email", { body: { ...valid, email: `${long(300)}@example.com` } }, 422],
  ["a body above the size limit", { body: { ...valid, name: long(200_000) } }, 413],
  ["an operator as email", { body: { ...valid, email: { $ne: "" } } }, 422],
  ["a role the caller picked", { body: { ...valid, role: "admin" } }, 422],
  ["an id the caller picked", { body: { ...valid, id: "0123456789abcdef01234567" } }, 422],
  ["malformed JSON", { rawBody: '{"email": "a@b.c",', headers: { "content-type": "application/json" } }, 400],
  ["a JSON array", { body: [valid] }, 422],
  ["a JSON string", { rawBody: '"hello"', headers: { "content-type": "application/json" } }, 400],
  ["a text/plain body", { rawBody: JSON.stringify(valid), headers: { "content-type": "text/plain" } }, 415],
  [
    "a form body",
    {
      rawBody: "email=a%40b.c&password=good-password&name=N",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    },
    415,
  ],
];

const loginCases: Case[] = [
  ["operator injection in both fields", { body: { email: { $ne: "" }, password: { $ne: "" } } }, 422],
  ["operator injection in the password", { body: { email: "victim@example.com", password: { $gt: "" } } }, 422],
  ["a regex as email", { body: { email: { $regex: ".*" }, password: "victim-password" } }, 422],
  ["a numeric password", { body: { email: "victim@example.com", password: 1 } }, 422],
  ["a missing password", { body: { email: "victim@example.com" } }, 422],
  ["a huge password", { body: { email: "victim@example.com", password: long(10_000) } }, 422],
  ["malformed JSON", { rawBody: "{email:", headers: { "content-type": "application/json" } }, 400],
];

async function expectClientError(path: string, opts: Case[1], status: number) {
  const before = await storedUsers();
  const res = await request(node.url, "POST", path, opts);
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  expect(res.body).toMatchObject({ code: status, message: expect.any(String) });
  expect(res.text).not.toContain("good-password");
  expect(res.text).not.toContain("victim-password");
  expect(await storedUsers()).toBe(before);
}

// Titles read "name → status"; the rows keep the request before the status.
const titled = (cases: Case[]) => cases.map(([name, opts, status]) => [name, status, opts] as const);

it.each(titled(registerCases))("register with %s → %i, nothing stored", async (_name, status, opts) => {
  await expectClientError("/api/v1/auth/register", opts, status);
});

it.each(titled(loginCases))("login with %s → %i", async (_name, status, opts) => {
  await expectClientError("/api/v1/auth/login", opts, status);
});

it("credentials in the query string of a login are not accepted either", async () => {
  const res = await request(node.url, "POST", "/api/v1/auth/login?email[$ne]=&password[$ne]=", { body: {} });
  expect(res.status).toBe(422);
});

it("the victim can still log in, and no one else got in", async () => {
  const res = await request(node.url, "POST", "/api/v1/auth/login", {
    body: { email: "victim@example.com", password: "victim-password" },
  });
  expect(res.status).toBe(200);
  expect(await storedUsers()).toBe(1);
});
