import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { get } from "../helpers/http";
import { freePort, startProcess, stopAll, type Proc } from "../helpers/processes";

/**
 * The image's runtime stage, outside Docker: package.json, package-lock.json
 * and dist/ alone in a folder, `npm ci --omit=dev` there, then the image's
 * CMD. A runtime dependency kept in devDependencies, or a file the build
 * does not emit into dist/, fails here instead of in production.
 * Needs dist/ (npm run build) and the npm registry.
 */
const ROOT = path.resolve(__dirname, "../..");

/** The Dockerfile's CMD, as argv. */
function imageCommand(): string[] {
  const line = fs
    .readFileSync(path.join(ROOT, "docker/Dockerfile"), "utf8")
    .split("\n")
    .find((l) => l.startsWith("CMD "));
  return JSON.parse(line!.slice(4)) as string[];
}

/** The npm driving this run (npm test), else the one on the PATH. */
function npmCli(): string {
  if (process.env.npm_execpath?.endsWith(".js")) return process.env.npm_execpath;
  const npm = execFileSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).trim();
  return fs.realpathSync(npm);
}

describe("the image's runtime step, reproduced outside Docker", () => {
  let dir: string;
  let node: Proc;
  let port: number;
  let healthPort: number;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, "dist/moleculer.config.js"))) throw new Error("run `npm run build` first");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-image-"));
    // Exactly what the runtime stage copies.
    for (const f of ["package.json", "package-lock.json"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    fs.cpSync(path.join(ROOT, "dist"), path.join(dir, "dist"), { recursive: true });

    const ci = spawnSync(process.execPath, [npmCli(), "ci", "--omit=dev", "--no-audit", "--no-fund"], {
      cwd: dir,
      encoding: "utf8",
      // The image runs Node 24 as `node`; so does npm's install scripts here.
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, NODE_ENV: "production" },
      timeout: 240_000,
    });
    if (ci.status !== 0) throw new Error(`npm ci --omit=dev failed:\n${ci.stdout}\n${ci.stderr}`);

    const [command, ...args] = imageCommand();
    expect(command).toBe("node");
    port = await freePort();
    healthPort = await freePort();
    node = startProcess(
      process.execPath,
      args,
      {
        NODE_ENV: "production",
        NODE_ID: "image-runtime",
        PORT: String(port),
        HEALTH_PORT: String(healthPort),
        METRICS_PORT: String(await freePort()),
        DATA_DIR: path.join(dir, "data"),
        JWT_SECRET: "image-runtime-secret-image-runtime-secret",
        JEST_WORKER_ID: "",
        TRANSPORTER: "",
        LOGLEVEL: "info",
      },
      dir,
    );
    await node.waitFor(/ServiceBroker with \d+ service\(s\) started successfully/, 90_000);
  }, 300_000);

  afterAll(async () => {
    await stopAll();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("installs no dev dependency (not even the local Node 24 package)", () => {
    const modules = path.join(dir, "node_modules");
    expect(fs.existsSync(path.join(modules, "moleculer"))).toBe(true);
    for (const dev of ["node", "typescript", "jest", "tsx", "@push.rocks/smartmongo"]) {
      expect({ dev, installed: fs.existsSync(path.join(modules, dev)) }).toEqual({ dev, installed: false });
    }
  });

  it("starts every service from dist/ and answers through the gateway", async () => {
    const list = await get<{ total: number }>(`http://127.0.0.1:${port}`, "/api/v1/products?pageSize=1");
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(0);
    const services = fs.readdirSync(path.join(dir, "dist/services"));
    for (const name of services.filter((s) => fs.existsSync(path.join(dir, "dist/services", s, `${s}.service.js`)))) {
      expect(node.output()).toContain(`Service '${name}' started`);
    }
  });

  it("answers the HEALTHCHECK's /readyz on HEALTH_PORT", async () => {
    const ready = await get<{ status: string }>(`http://127.0.0.1:${healthPort}`, "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe("ok");
  });

  it("ships the REPL node (node dist/scripts/repl.js)", () => {
    expect(fs.existsSync(path.join(dir, "dist/scripts/repl.js"))).toBe(true);
  });

  it("stops cleanly on SIGTERM (docker stop)", async () => {
    expect(await node.stop("SIGTERM")).toBe(0);
  });
});
