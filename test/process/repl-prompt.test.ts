import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  eventually,
  freePort,
  startAgoraNode,
  startNats,
  startProcess,
  stopAll,
  type Proc,
} from "../helpers/processes";

/**
 * The REPL's `mol $` prompt comes after the last start-up log line, for each
 * command that starts one: `npm run dev` (on a terminal: `script` gives it a
 * pseudo-terminal), `moleculer-runner --repl` and `npm run repl` joining a
 * running cluster. Nothing is typed: once the process has printed nothing for
 * a few seconds, whatever it printed after its first prompt is start-up
 * output interleaved with the REPL.
 */
const ROOT = path.resolve(__dirname, "../..");
const RUNNER = path.join(ROOT, "node_modules/moleculer/bin/moleculer-runner.js");
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");
const plain = (text: string) => text.replace(ANSI, "").replace(/\r/g, "");
const PROMPT = "mol $ ";
const QUIET_MS = 5000;

/** What the process printed after its first prompt, once it has printed nothing for QUIET_MS. */
async function afterFirstPrompt(proc: Proc): Promise<string> {
  await eventually(() => plain(proc.output()).includes(PROMPT), 120_000, 100);
  let seen = -1;
  let since = Date.now();
  await eventually(
    () => {
      const length = proc.output().length;
      if (length !== seen) [seen, since] = [length, Date.now()];
      return Date.now() - since >= QUIET_MS;
    },
    120_000,
    250,
  );
  const printed = plain(proc.output());
  return printed.slice(printed.indexOf(PROMPT) + PROMPT.length);
}

describe("the REPL prompt comes after the start-up log", () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-repl-prompt-"));
  });
  afterEach(async () => {
    await stopAll();
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("npm run dev on a terminal, first start (seeds the demo catalog and its stock)", async () => {
    const dev = startProcess(
      "script",
      ["-qfec", `${process.execPath} scripts/dev.mjs`, "/dev/null"],
      {
        PORT: String(await freePort()),
        DATA_DIR: path.join(dataDir, "dev"),
        NODE_ENV: "development",
        LOGLEVEL: "info",
        JEST_WORKER_ID: "",
      },
      ROOT,
      { stdin: true },
    );
    const after = await afterFirstPrompt(dev);
    expect(plain(dev.output())).toMatch(/Created stock levels for \d+ products/);
    expect(after.trim()).toBe("");
  }, 180_000);

  it("moleculer-runner --repl: every service on one node, production build", async () => {
    const node = startProcess(
      process.execPath,
      [RUNNER, "--repl", "--config", "dist/moleculer.config.js"],
      {
        NODE_ENV: "production",
        SERVICEDIR: path.join(ROOT, "dist/services"),
        PORT: String(await freePort()),
        DATA_DIR: path.join(dataDir, "runner"),
        HEALTH_PORT: String(await freePort()),
        METRICS_PORT: "0",
        LOGLEVEL: "info",
        JEST_WORKER_ID: "",
      },
      ROOT,
      { stdin: true },
    );
    const after = await afterFirstPrompt(node);
    expect(plain(node.output())).toMatch(/ServiceBroker with \d+ service\(s\) started successfully/);
    expect(after.trim()).toBe("");
  }, 180_000);

  it("npm run repl joining a running cluster, at LOGLEVEL=info", async () => {
    const nats = await startNats();
    await startAgoraNode({ services: ["api", "catalog", "inventory"], transporter: nats.url });
    const repl = startProcess(
      process.execPath,
      ["--import", "tsx", "scripts/repl.ts"],
      { TRANSPORTER: nats.url, LOGLEVEL: "info", NODE_ENV: "production", NODE_ID: "prompt-repl", JEST_WORKER_ID: "" },
      ROOT,
      { stdin: true },
    );
    const after = await afterFirstPrompt(repl);
    expect(plain(repl.output())).toMatch(/Node '[^']+' connected/);
    expect(after.trim()).toBe("");
  }, 180_000);
});
