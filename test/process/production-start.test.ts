import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { get } from "../helpers/http";
import { startAgoraNode, stopAll, type AgoraNode } from "../helpers/processes";

/** The compiled app, started the way `npm start` starts it, serves the catalog over HTTP. */
describe("npm start (compiled dist/, moleculer-runner)", () => {
  let node: AgoraNode;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-start-"));
    node = await startAgoraNode({ services: ["api", "catalog"], env: { DATA_DIR: dataDir } });
  });

  afterAll(async () => {
    await stopAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves the seeded catalog and answers the health check", async () => {
    const health = await get<{ status: string }>(node.url, "/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok" });

    const list = await get<{ total: number; rows: { sku: string }[] }>(node.url, "/api/v1/products?pageSize=100");
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThanOrEqual(20);
    expect(list.body.rows.map((r) => r.sku)).toContain("MUG-001");
  });

  it("logs JSON lines in production and stores data in DATA_DIR", () => {
    const firstLine = node
      .output()
      .split("\n")
      .find((l) => l.startsWith("{"));
    expect(firstLine).toBeDefined();
    expect(() => JSON.parse(firstLine!)).not.toThrow();
    expect(fs.existsSync(path.join(dataDir, "products.db"))).toBe(true);
  });

  it("stops gracefully on SIGTERM and releases the data file lock", async () => {
    const code = await node.stop("SIGTERM");
    expect(code).toBe(0);
    expect(fs.existsSync(path.join(dataDir, "products.db.lock"))).toBe(false);
  });
});
