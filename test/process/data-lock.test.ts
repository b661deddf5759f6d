import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { get } from "../helpers/http";
import { startAgoraNode, stopAll } from "../helpers/processes";

/**
 * An NeDB data file belongs to one process (platform/store/data-lock.ts). A second
 * process on the same DATA_DIR collection must fail at start, saying that
 * replicas need MONGO_URI, instead of silently diverging from the first.
 */
describe("NeDB data file lock across processes", () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-lock-"));
  });

  afterEach(async () => {
    await stopAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("a second catalog process on the same DATA_DIR fails fast, naming MONGO_URI", async () => {
    const first = await startAgoraNode({ services: ["catalog"], env: { DATA_DIR: dataDir } });
    const lockFile = path.join(dataDir, "products.db.lock");
    expect(fs.readFileSync(lockFile, "utf8").trim()).toBe(String(first.child.pid));

    const second = startAgoraNode({ services: ["catalog"], env: { DATA_DIR: dataDir } });
    await expect(second).rejects.toThrow(/exited before/);
    await expect(second).rejects.toThrow(/products\.db is already used by process \d+/);
    await expect(second).rejects.toThrow(/MONGO_URI/);
    // The first one is unharmed and still owns the file.
    expect(first.child.exitCode).toBeNull();
    expect(fs.readFileSync(lockFile, "utf8").trim()).toBe(String(first.child.pid));
  });

  it("another DATA_DIR is fine, and the lock of a killed process is taken over", async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "agora-lock-"));
    try {
      const first = await startAgoraNode({ services: ["api", "catalog"], env: { DATA_DIR: dataDir } });
      const before = await get<{ rows: { id: string }[] }>(first.url, "/api/v1/products?pageSize=5");
      expect(before.status).toBe(200);
      const beside = await startAgoraNode({ services: ["catalog"], env: { DATA_DIR: other } });
      expect(beside.child.exitCode).toBeNull();

      // kill -9 leaves the lock file behind; its pid is dead, so it is stale.
      await first.kill();
      expect(fs.existsSync(path.join(dataDir, "products.db.lock"))).toBe(true);
      const next = await startAgoraNode({ services: ["api", "catalog"], env: { DATA_DIR: dataDir } });
      expect(fs.readFileSync(path.join(dataDir, "products.db.lock"), "utf8").trim()).toBe(String(next.child.pid));
      // Same file, same products: the data survived the crash.
      const after = await get<{ rows: { id: string }[] }>(next.url, "/api/v1/products?pageSize=5");
      expect(after.status).toBe(200);
      expect(after.body.rows.map((r) => r.id)).toEqual(before.body.rows.map((r) => r.id));
    } finally {
      await stopAll();
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
