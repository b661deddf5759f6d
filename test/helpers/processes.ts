import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/**
 * Real processes for cluster tests: nats-server, the MongoDB-wire test
 * server, and Agora nodes started with the production command (compiled
 * dist/, moleculer-runner). Every process started here is tracked and killed
 * by stopAll() and, as a last resort, when the test process exits.
 *
 * The bench (bench/lib/procs.ts) starts the same processes on this core
 * (spawnTracked, agoraEnv, agoraArgs, natsArgs, freePort) and differs only in
 * where their output goes: a log file it never reads while measuring, where
 * the tests keep it in memory to wait on its lines.
 */

export const ROOT = path.resolve(__dirname, "../..");
export const RUNNER = path.join(ROOT, "node_modules/moleculer/bin/moleculer-runner.js");
const running = new Set<ChildProcess>();

process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Ports handed out in this jest process: a port given to a node that has not bound it yet is not free. */
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.on("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** A child process that is tracked: killed with SIGKILL if this process exits before it. */
export interface Tracked {
  child: ChildProcess;
  /** Sends a signal and waits for the exit (SIGKILL after graceMs). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
  /** kill -9, waits for the exit. */
  kill(): Promise<number | null>;
  exited: Promise<number | null>;
}

/** spawn() of a tracked child; stdio and the rest as node:child_process takes them. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): Tracked {
  const child = spawn(command, args, options);
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    exited,
    async stop(signal = "SIGTERM", graceMs = 15_000) {
      if (ended()) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (ended()) return child.exitCode;
      child.kill("SIGKILL");
      return exited;
    },
  };
}

export interface Proc extends Tracked {
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the output matches, rejects after timeoutMs or if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Writes to stdin (started with { stdin: true }). */
  input(text: string): void;
}

export interface ProcessOptions {
  /** Keep stdin open as a pipe (write to it with proc.input()). */
  stdin?: boolean;
  /** A process group of its own, as a terminal gives a command (signal it with process.kill(-pid)). */
  detached?: boolean;
}

export function startProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = ROOT,
  opts: ProcessOptions = {},
): Proc {
  const tracked = spawnTracked(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: [opts.stdin ? "pipe" : "ignore", "pipe", "pipe"],
    detached: opts.detached ?? false,
  });
  const { child } = tracked;
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
    for (const l of listeners) l();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  child.on("exit", () => {
    for (const l of listeners) l();
  });

  const proc: Proc = {
    ...tracked,
    output: () => output,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) return done(resolve);
          if (child.exitCode !== null || child.signalCode !== null)
            return done(() => reject(new Error(`${command} exited before ${pattern}:\n${output.slice(-3000)}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`timeout waiting for ${pattern}:\n${output.slice(-3000)}`))),
          timeoutMs,
        );
        const done = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          fn();
        };
        listeners.add(check);
        check();
      });
    },
    input(text) {
      if (!child.stdin) throw new Error(`${command} was started without { stdin: true }`);
      child.stdin.write(text);
    },
  };
  return proc;
}

export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
}

/** nats-server's arguments: loopback only, on the given port. */
export function natsArgs(port: number, extraArgs: string[] = []): string[] {
  return ["-a", "127.0.0.1", "-p", String(port), ...extraArgs];
}

export const NATS_READY = /Server is ready/;

export interface NatsServer extends Proc {
  url: string;
  port: number;
}

/**
 * nats-server on a free loopback port (Debian's package: apt-get install nats-server).
 * extraArgs e.g. ["-c", "docker/nats.conf", "-m", "<port>"]; env feeds the config's $VARIABLES.
 */
export async function startNats(
  extraArgs: string[] = [],
  port?: number,
  env: NodeJS.ProcessEnv = {},
): Promise<NatsServer> {
  const p = port ?? (await freePort());
  const proc = startProcess("nats-server", natsArgs(p, extraArgs), env);
  await proc.waitFor(NATS_READY);
  return Object.assign(proc, { url: `nats://127.0.0.1:${p}`, port: p });
}

export interface MongoServer extends Proc {
  uri: string;
  port: number;
}

/** The MongoDB-wire test server (CongoDB) as its own process. */
export async function startMongo(): Promise<MongoServer> {
  const port = await freePort();
  const proc = startProcess(process.execPath, [path.join(ROOT, "test/helpers/congo-server.mjs"), String(port)]);
  await proc.waitFor(/ready \d+/);
  return Object.assign(proc, { uri: `mongodb://127.0.0.1:${port}`, port });
}

export interface AgoraNode extends Proc {
  nodeID: string;
  /** Gateway base URL when the node runs "api". */
  url: string;
  /** The node's probe listener (/healthz, /readyz), on a free port. */
  healthUrl: string;
  /** The node's Prometheus endpoint (/metrics), on a free port. */
  metricsUrl: string;
}

export interface NodeOptions {
  services: string[];
  nodeID?: string;
  transporter?: string;
  env?: NodeJS.ProcessEnv;
}

/** The line a broker logs once every service of the node has started. */
export const READY_LINE = /ServiceBroker with \d+ service\(s\) started successfully/;

export interface AgoraEnvOptions {
  nodeID: string;
  services: string[];
  transporter?: string;
  /** The gateway's port when the node runs "api" (0: none). */
  port: number;
  healthPort: string;
  metricsPort: string;
}

/**
 * What `npm start` in production gives a node: JSON logs at info, health
 * probes and Prometheus on, each on a port of its own (many nodes share
 * this machine). JEST_WORKER_ID cleared, so a node started from jest runs
 * as it would outside it.
 */
export function agoraEnv(opts: AgoraEnvOptions): NodeJS.ProcessEnv {
  return {
    NODE_ENV: "production",
    NODE_ID: opts.nodeID,
    SERVICES: opts.services.join(","),
    TRANSPORTER: opts.transporter ?? "",
    PORT: String(opts.port),
    LOGLEVEL: "info",
    JEST_WORKER_ID: "",
    HEALTH_PORT: opts.healthPort,
    METRICS_PORT: opts.metricsPort,
  };
}

/** moleculer-runner's arguments for a compiled build (dist, or a copy of an earlier one). */
export function agoraArgs(build = "dist"): string[] {
  const config = path.join(build, "moleculer.config.js");
  if (!fs.existsSync(path.join(ROOT, config))) {
    throw new Error(`${build}/ is missing: run \`npm run build\` first (npm test and npm run bench do)`);
  }
  return [RUNNER, "--config", config];
}

let nodeCounter = 0;

/**
 * An Agora node started exactly like `npm start` does: the compiled dist/
 * through moleculer-runner. Needs `npm run build` first (npm test does it).
 */
export async function startAgoraNode(opts: NodeOptions): Promise<AgoraNode> {
  const args = agoraArgs();
  const nodeID = opts.nodeID ?? `${opts.services.join("-")}-${process.pid}-${++nodeCounter}`;
  const port = opts.services.includes("api") ? await freePort() : 0;
  // Production turns on a health listener (3001) and Prometheus (3030) per
  // node; many nodes on one machine need a port each.
  const healthPort = opts.env?.HEALTH_PORT ?? String(await freePort());
  const metricsPort = opts.env?.METRICS_PORT ?? String(await freePort());
  const env: NodeJS.ProcessEnv = {
    ...agoraEnv({ nodeID, services: opts.services, transporter: opts.transporter, port, healthPort, metricsPort }),
    // Any suite that loaded moleculer.config in this jest process set SERVICEDIR
    // to the TypeScript sources; the production command loads the compiled ones.
    SERVICEDIR: path.join(ROOT, "dist/services"),
    DATA_DIR: ":memory:",
    ...opts.env,
  };
  const proc = startProcess(process.execPath, args, env);
  await proc.waitFor(READY_LINE, 60_000);
  return Object.assign(proc, {
    nodeID,
    url: port ? `http://127.0.0.1:${port}` : "",
    healthUrl: Number(healthPort) > 0 ? `http://127.0.0.1:${healthPort}` : "",
    metricsUrl: Number(metricsPort) > 0 ? `http://127.0.0.1:${metricsPort}` : "",
  });
}

/** Polls fn until it returns a truthy value, or throws after timeoutMs. */
export async function eventually<T>(
  fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 20_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
