import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  agoraArgs,
  agoraEnv,
  eventually as pollUntil,
  freePort,
  natsArgs,
  NATS_READY,
  READY_LINE,
  ROOT,
  spawnTracked,
  type Tracked,
} from "../../test/helpers/processes";

/**
 * Processes under measurement, started on the tests' core
 * (test/helpers/processes.ts: tracking, stopping, ports, the production
 * environment). What differs is their output: it goes through a pipe to a log
 * file, never through this orchestrating process: reading every log line here
 * would take CPU from what is measured on the same two cores.
 */

export { freePort, READY_LINE, ROOT };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BenchProc extends Tracked {
  name: string;
  pid: number;
  logFile: string;
  /** When spawn() was called (performance.now()). */
  spawnedAt: number;
  log(): string;
  /** Polls the log file until it matches; returns performance.now() of the first match seen. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<number>;
}

export interface LoggedOptions {
  name: string;
  env?: NodeJS.ProcessEnv;
  logDir: string;
}

/** Starts `command ...args` with stdout and stderr to <logDir>/<name>.log. */
export function spawnLogged(command: string, args: string[], opts: LoggedOptions): BenchProc {
  fs.mkdirSync(opts.logDir, { recursive: true });
  const logFile = path.join(opts.logDir, `${opts.name}.log`);
  const fd = fs.openSync(logFile, "w");
  const spawnedAt = performance.now();
  const tracked = spawnTracked(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { child } = tracked;
  // A separate `cat` drains the pipe into the file, as a container runtime does with stdout:
  // the node process writes to a pipe (as in production), this process never reads the lines,
  // and a slow disk stalls the sink, not the process under measurement.
  for (const stream of [child.stdout!, child.stderr!]) {
    const sink = spawn("cat", [], { stdio: [stream, fd, "ignore"] });
    sink.on("error", () => undefined);
  }
  fs.closeSync(fd);
  const log = () => {
    try {
      return fs.readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };
  return {
    ...tracked,
    name: opts.name,
    pid: child.pid ?? -1,
    logFile,
    spawnedAt,
    log,
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
  };
}

export interface SpawnOptions extends LoggedOptions {
  /** Run under `taskset -c <cpus>` (e.g. "1"). */
  cpus?: string;
  /** Extra node flags, e.g. ["--cpu-prof", "--cpu-prof-dir=..."]. */
  nodeFlags?: string[];
}

/** Starts `node <script> ...args` with output to <logDir>/<name>.log. */
export function spawnNode(script: string, args: string[], opts: SpawnOptions): BenchProc {
  const nodeArgs = [...(opts.nodeFlags ?? []), script, ...args];
  return opts.cpus
    ? spawnLogged("taskset", ["-c", opts.cpus, process.execPath, ...nodeArgs], opts)
    : spawnLogged(process.execPath, nodeArgs, opts);
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
  const args = agoraArgs(opts.build);
  const env: NodeJS.ProcessEnv = {
    ...agoraEnv({
      nodeID: `${opts.name}-${process.pid}`,
      services: opts.services,
      transporter: opts.transporter,
      port: opts.port ?? 0,
      metricsPort: String(await freePort()),
      healthPort: String(await freePort()),
    }),
    NAMESPACE: opts.namespace,
    HOST: "127.0.0.1",
    ...opts.env,
    ...agoraEnvOverrides,
  };
  const proc = spawnNode(args[0], args.slice(1), { ...opts, env });
  return Object.assign(proc, { url: opts.port ? `http://127.0.0.1:${opts.port}` : "" });
}

/** nats-server on a free loopback port; quiet, so its output goes to a log file too. */
export async function spawnNats(logDir: string): Promise<BenchProc & { url: string }> {
  const port = await freePort();
  const proc = spawnLogged("nats-server", natsArgs(port), { name: "nats", logDir });
  await proc.waitForLog(NATS_READY, 20_000);
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
