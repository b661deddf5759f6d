import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { eventually as pollUntil } from "../../test/helpers/processes";

/**
 * Processes under measurement. Their output goes through a pipe to a log
 * file, never through this orchestrating process: reading every log line here
 * would take CPU from what is measured on the same two cores.
 */

export const ROOT = path.resolve(__dirname, "../..");
const RUNNER = path.join(ROOT, "node_modules/moleculer/bin/moleculer-runner.js");
const running = new Set<ChildProcess>();

process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

const handedOut = new Set<number>();

/** A free loopback port, never the same twice in one run (nodes bind theirs only later). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await probePort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BenchProc {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** When spawn() was called (performance.now()). */
  spawnedAt: number;
  log(): string;
  /** Polls the log file until it matches; returns performance.now() of the first match seen. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<number>;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  name: string;
  env?: NodeJS.ProcessEnv;
  /** Run under `taskset -c <cpus>` (e.g. "1"). */
  cpus?: string;
  /** Extra node flags, e.g. ["--cpu-prof", "--cpu-prof-dir=..."]. */
  nodeFlags?: string[];
  logDir: string;
}

/** Starts `node <script> ...args` with output to <logDir>/<name>.log. */
export function spawnNode(script: string, args: string[], opts: SpawnOptions): BenchProc {
  fs.mkdirSync(opts.logDir, { recursive: true });
  const logFile = path.join(opts.logDir, `${opts.name}.log`);
  const fd = fs.openSync(logFile, "w");
  const nodeArgs = [...(opts.nodeFlags ?? []), script, ...args];
  const [command, argv] = opts.cpus
    ? ["taskset", ["-c", opts.cpus, process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const spawnedAt = performance.now();
  const child = spawn(command, argv, {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // A separate `cat` drains the pipe into the file, as a container runtime does with stdout:
  // the node process writes to a pipe (as in production), this process never reads the lines,
  // and a slow disk stalls the sink, not the process under measurement.
  for (const stream of [child.stdout!, child.stderr!]) {
    const sink = spawn("cat", [], { stdio: [stream, fd, "ignore"] });
    sink.on("error", () => undefined);
  }
  fs.closeSync(fd);
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const log = () => {
    try {
      return fs.readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };
  return {
    name: opts.name,
    pid: child.pid ?? -1,
    child,
    logFile,
    spawnedAt,
    log,
    exited,
    async waitForLog(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (pattern.test(log())) return performance.now();
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${opts.name} exited before ${pattern}:\n${log().slice(-3000)}`);
        }
        if (Date.now() > deadline)
          throw new Error(`${opts.name}: timeout waiting for ${pattern}:\n${log().slice(-3000)}`);
        await sleep(10);
      }
    },
    async stop(signal = "SIGTERM", graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function stopAll(procs: BenchProc[]): Promise<void> {
  await Promise.all(procs.map((p) => p.stop()));
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round((kb / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

/** Environment every Agora node of the run gets last (`--env KEY=VALUE`, for A/B runs of a setting). */
export const agoraEnvOverrides: NodeJS.ProcessEnv = {};

export const READY_LINE = /ServiceBroker with \d+ service\(s\) started successfully/;

export interface AgoraOptions {
  name: string;
  services: string[];
  logDir: string;
  namespace: string;
  transporter?: string;
  /** Gateway port when the node runs "api". */
  port?: number;
  env?: NodeJS.ProcessEnv;
  cpus?: string;
  nodeFlags?: string[];
  /** The compiled build to run, relative to the repository (dist); bench/ab.ts compares two. */
  build?: string;
}

export interface AgoraProc extends BenchProc {
  url: string;
}

/**
 * An Agora node started the way `npm start` does (compiled dist/,
 * moleculer-runner), in production mode: JSON logs at info, Prometheus
 * metrics and health probes on (each node on ports of its own).
 */
export async function spawnAgora(opts: AgoraOptions): Promise<AgoraProc> {
  const build = opts.build ?? "dist";
  if (!fs.existsSync(path.join(ROOT, build, "moleculer.config.js"))) {
    throw new Error(`${build}/ is missing: run \`npm run build\` first (\`npm run bench\` does)`);
  }
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    NAMESPACE: opts.namespace,
    NODE_ID: `${opts.name}-${process.pid}`,
    SERVICES: opts.services.join(","),
    TRANSPORTER: opts.transporter ?? "",
    PORT: String(opts.port ?? 0),
    HOST: "127.0.0.1",
    LOGLEVEL: "info",
    METRICS_PORT: String(await freePort()),
    HEALTH_PORT: String(await freePort()),
    JEST_WORKER_ID: "",
    ...opts.env,
    ...agoraEnvOverrides,
  };
  const proc = spawnNode(RUNNER, ["--config", path.join(build, "moleculer.config.js")], { ...opts, env });
  return Object.assign(proc, { url: opts.port ? `http://127.0.0.1:${opts.port}` : "" });
}

/** nats-server on a free loopback port; quiet, so its output goes to a log file too. */
export async function spawnNats(logDir: string): Promise<BenchProc & { url: string }> {
  const port = await freePort();
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, "nats.log");
  const fd = fs.openSync(logFile, "w");
  const child = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", fd, fd] });
  fs.closeSync(fd);
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const log = () => fs.readFileSync(logFile, "utf8");
  const proc: BenchProc = {
    name: "nats",
    pid: child.pid ?? -1,
    child,
    logFile,
    spawnedAt: performance.now(),
    log,
    exited,
    async waitForLog(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(log())) {
        if (child.exitCode !== null) throw new Error(`nats-server exited:\n${log()}`);
        if (Date.now() > deadline) throw new Error(`nats-server not ready:\n${log()}`);
        await sleep(10);
      }
      return performance.now();
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
  await proc.waitForLog(/Server is ready/);
  return Object.assign(proc, { url: `nats://127.0.0.1:${port}` });
}

/** The test suite's poller, with the bench's longer wait (nodes start under load here). */
export function eventually<T>(
  fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  return pollUntil(fn, timeoutMs, intervalMs);
}
