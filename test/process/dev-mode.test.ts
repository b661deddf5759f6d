import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page, Product } from "../../contracts";
import { get } from "../helpers/http";
import { freePort, startProcess, stopAll } from "../helpers/processes";

/**
 * `npm run dev` as a person uses it: the whole shop in one process from the
 * TypeScript sources, the REPL on a terminal (a pseudo-terminal from
 * `script`), and still running without one (piped, as in CI).
 */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");
const stripAnsi = (text: string) => text.replace(ANSI, "");
const STARTED = /ServiceBroker with \d+ service\(s\) started successfully/;

describe("npm run dev", () => {
  let dataDir: string;
  let port: number;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-dev-"));
    port = await freePort();
  });
  afterAll(async () => {
    await stopAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => ({
    PORT: String(port),
    DATA_DIR: dataDir,
    NODE_ENV: "development",
    LOGLEVEL: "info",
    JEST_WORKER_ID: "",
  });

  it("runs with a REPL on a terminal: `call catalog.list --pageSize 2` prints two products", async () => {
    // `script` gives the dev process a pseudo-terminal; we type into it.
    const child = spawn("script", ["-qfec", `${process.execPath} scripts/dev.mjs`, "/dev/null"], {
      cwd: path.resolve(__dirname, "../.."),
      env: { ...process.env, ...env() },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    const waitFor = async (pattern: RegExp, ms = 60_000) => {
      const deadline = Date.now() + ms;
      while (!pattern.test(stripAnsi(output))) {
        if (Date.now() > deadline)
          throw new Error(`timeout waiting for ${pattern}:\n${stripAnsi(output).slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await waitFor(STARTED);
      await waitFor(/mol \$/);
      child.stdin.write("call catalog.list --pageSize 2\n");
      await waitFor(/pageSize: 2/);
      const printed = stripAnsi(output);
      expect(printed).toMatch(/total: \d+/);
      expect(printed.match(/sku: '/g)?.length).toBe(2);

      const http = await get<Page<Product>>(`http://127.0.0.1:${port}`, "/api/v1/products?pageSize=1");
      expect(http.status).toBe(200);
      expect(http.body.total).toBeGreaterThanOrEqual(20);

      child.stdin.write("quit\n");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    } finally {
      child.kill("SIGKILL");
      await exited;
    }
  });

  it("runs without a terminal, keeps its data in DATA_DIR and seeds only on the first start", async () => {
    const first = startProcess(process.execPath, ["scripts/dev.mjs"], env());
    await first.waitFor(STARTED, 60_000);
    const url = `http://127.0.0.1:${port}`;
    const before = await get<Page<Product>>(url, "/api/v1/products?pageSize=1");
    expect(before.status).toBe(200);
    expect(stripAnsi(first.output())).not.toMatch(/mol \$/);
    expect(await first.stop("SIGTERM")).toBe(0);

    expect(fs.existsSync(path.join(dataDir, "products.db"))).toBe(true);

    const second = startProcess(process.execPath, ["scripts/dev.mjs"], env());
    await second.waitFor(STARTED, 60_000);
    const after = await get<Page<Product>>(url, "/api/v1/products?pageSize=1");
    expect(after.body.total).toBe(before.body.total);
    expect(second.output()).not.toMatch(/Seeded the empty collection/);
    await second.stop("SIGTERM");
  });
});
