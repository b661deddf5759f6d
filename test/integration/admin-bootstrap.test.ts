import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { request } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";
import type { AuthResult } from "../../contracts";

/** ADMIN_EMAIL / ADMIN_PASSWORD create the admin once; a restart on the same data changes nothing. */

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-admin-"));
let node: TestNode | undefined;

async function start() {
  node = await startNode(["api", "users"]);
  return node;
}
async function stop() {
  await node?.stop();
  node = undefined;
}
async function login(n: TestNode, email: string, password: string) {
  return request<AuthResult>(n.url, "POST", "/api/v1/auth/login", { body: { email, password } });
}
async function storedDocs(n: TestNode): Promise<Record<string, unknown>[]> {
  const users = n.broker.getLocalService("users") as unknown as {
    adapter: { find(o: object): Promise<Record<string, unknown>[]> };
  };
  return users.adapter.find({});
}

beforeAll(() => {
  process.env.DATA_DIR = dataDir;
  process.env.ADMIN_EMAIL = " Admin@Example.com ";
  process.env.ADMIN_PASSWORD = "first-admin-password";
});
afterAll(async () => {
  await stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it("creates the admin with a hashed password", async () => {
  const n = await start();
  const res = await login(n, "admin@example.com", "first-admin-password");
  expect(res.status).toBe(200);
  expect(res.body.user).toMatchObject({ email: "admin@example.com", role: "admin" });
  const docs = await storedDocs(n);
  expect(docs).toHaveLength(1);
  expect(String(docs[0].passwordHash)).toMatch(/^\$argon2id\$/);
  expect(JSON.stringify(docs)).not.toContain("first-admin-password");
  expect(fs.readFileSync(path.join(dataDir, "users.db"), "utf8")).not.toContain("first-admin-password");
  await stop();
});

it("is idempotent on restart: one admin, password unchanged even if ADMIN_PASSWORD changed", async () => {
  process.env.ADMIN_PASSWORD = "second-admin-password";
  const n = await start();
  expect(await storedDocs(n)).toHaveLength(1);
  expect((await login(n, "admin@example.com", "first-admin-password")).status).toBe(200);
  expect((await login(n, "admin@example.com", "second-admin-password")).status).toBe(401);
  await stop();
});

it("refuses to start with half a configuration or a short password", async () => {
  process.env.ADMIN_PASSWORD = "short";
  await expect(start()).rejects.toThrow(/ADMIN_PASSWORD/);
  delete process.env.ADMIN_PASSWORD;
  await expect(start()).rejects.toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/);
});
