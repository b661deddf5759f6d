import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AuthResult, Notification, Order, Page, Product } from "../../contracts";
import { orderIdFor } from "../../services/orders/domain/order.rules";
import { request, type RequestOptions } from "../helpers/http";
import { eventually, startAgoraNode, stopAll, type AgoraNode } from "../helpers/processes";

/**
 * Kill -9 at each step of the checkout saga (FAULTS=crash=orders:<step>),
 * restart the node on the same NeDB files, and check what a shop must never
 * get wrong: the order ends terminal, money was taken if and only if the
 * order is CONFIRMED, no stock is held or lost, and exactly one notification
 * went out. The stores are read from the data files themselves.
 */
const ALL = ["api", "users", "catalog", "inventory", "cart", "payments", "orders", "notifications"];
const ADMIN = { email: "crash-admin@example.com", password: "crash-admin-password" };
const INITIAL_STOCK = 10;
const QUANTITY = 3;

const STEPS: [string, "CONFIRMED" | "FAILED"][] = [
  ["before-reserve", "FAILED"],
  ["after-reserve", "FAILED"],
  ["after-charge", "CONFIRMED"],
  ["after-confirm", "CONFIRMED"],
  ["after-commit", "CONFIRMED"],
  ["after-empty-cart", "CONFIRMED"],
];

type Doc = Record<string, unknown> & { _id: string };

/** The live documents of an NeDB data file: one JSON line per write, the last one per _id wins. */
function readNedb(dataDir: string, collection: string): Doc[] {
  const file = path.join(dataDir, `${collection}.db`);
  if (!fs.existsSync(file)) return [];
  const docs = new Map<string, Doc>();
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const doc = JSON.parse(line) as Doc & { $$deleted?: boolean; $$indexCreated?: unknown };
    if (doc.$$indexCreated) continue;
    if (doc.$$deleted) docs.delete(doc._id);
    else docs.set(doc._id, doc);
  }
  return [...docs.values()];
}

describe("a crash at each step of the checkout saga, then a restart", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await stopAll();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(STEPS)("orders:%s → %s, and the invariants hold", async (step, expected) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-crash-"));
    dirs.push(dataDir);
    const env = {
      DATA_DIR: dataDir,
      JWT_SECRET: "crash-test-secret-crash-test-secret-0123",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ORDERS_PENDING_TIMEOUT_MS: "1500",
      ORDERS_RECOVERY_INTERVAL_MS: "500",
      ORDERS_OUTBOX_INTERVAL_MS: "300",
    };

    // 1. A node that kills itself at the step.
    let node: AgoraNode = await startAgoraNode({ services: ALL, env: { ...env, FAULTS: `crash=orders:${step}` } });
    const http = <T = unknown>(method: string, p: string, opts: RequestOptions = {}) =>
      request<T>(node.url, method, `/api/v1${p}`, opts);

    const admin = (await http<AuthResult>("POST", "/auth/login", { body: ADMIN })).body.token;
    const product = (await http<Page<Product>>("GET", "/products?pageSize=1")).body.rows[0];
    expect(
      (await http("PUT", `/inventory/${product.id}`, { token: admin, body: { quantity: INITIAL_STOCK } })).status,
    ).toBe(200);
    const reg = await http<AuthResult>("POST", "/auth/register", {
      body: { email: `crash-${randomUUID()}@example.com`, password: "password-123", name: "Crash" },
    });
    const token = reg.body.token;
    expect((await http("PUT", `/cart/items/${product.id}`, { token, body: { quantity: QUANTITY } })).status).toBe(200);

    const key = randomUUID();
    const orderId = orderIdFor(reg.body.user.id, key);
    const card = { cardNumber: "4242424242424242", expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: "123" };
    // The process dies mid-request: the connection drops without an answer.
    await expect(
      http("POST", "/orders", { token, body: { payment: card }, headers: { "idempotency-key": key } }),
    ).rejects.toThrow();
    await node.exited;
    expect(node.output()).toContain(`FAULT: crash at orders:${step}`);

    // 2. The same node again, without the fault: recovery finishes the order.
    node = await startAgoraNode({ services: ALL, env });
    const order = await eventually(async () => {
      const res = await http<Order>("GET", `/orders/${orderId}`, { token });
      return res.status === 200 && res.body.status !== "PENDING" ? res.body : null;
    }, 30_000);
    expect(order!.status).toBe(expected);

    const notes = await eventually(async () => {
      const res = await http<Notification[]>("GET", "/notifications", { token });
      return res.body.length ? res.body : null;
    }, 30_000);
    expect(notes).toEqual([
      expect.objectContaining({
        orderId,
        event: expected === "CONFIRMED" ? "order.confirmed" : "order.failed",
      }),
    ]);
    // Settled: every follow-up done and the outbox acknowledged.
    await eventually(() => {
      const doc = readNedb(dataDir, "orders").find((d) => d._id === orderId);
      return doc?.settled === true && doc.outboxPending === false;
    }, 30_000);

    // The same key again answers the same order and charges nothing more.
    const replay = await http<Order & { data?: { order: Order } }>("POST", "/orders", {
      token,
      body: { payment: card },
      headers: { "idempotency-key": key },
    });
    expect(replay.body.id ?? replay.body.data?.order.id).toBe(orderId);

    expect(await node.stop("SIGTERM")).toBe(0);

    // 3. The invariants, from the files.
    const payment = readNedb(dataDir, "payments").find((d) => d.orderId === orderId);
    expect(payment?.state === "CHARGED").toBe(expected === "CONFIRMED");
    const level = readNedb(dataDir, "stock_levels").find((d) => d.productId === product.id)!;
    const { available, reserved, committed } = level as unknown as Record<string, number>;
    expect(reserved).toBe(0);
    expect(available + reserved + committed).toBe(INITIAL_STOCK);
    expect(committed).toBe(expected === "CONFIRMED" ? QUANTITY : 0);
    const notifications = readNedb(dataDir, "notifications").filter((d) => d.orderId === orderId);
    expect(notifications).toHaveLength(1);
    // A confirmed order empties the cart; a failed one leaves it for another try.
    const cart = readNedb(dataDir, "carts").find((d) => d._id === reg.body.user.id);
    const lines = Object.keys((cart?.lines as object | undefined) ?? {});
    expect(lines.length === 0).toBe(expected === "CONFIRMED");
  });
});
