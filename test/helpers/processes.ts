import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/**
 * Real processes for cluster tests: nats-server, the MongoDB-wire test
 * server, and Agora nodes started with the production command (compiled
 * dist/, moleculer-runner). Every process started here is tracked and killed
 * by stopAll() and, as a last resort, when the test process exits.
 */

const ROOT = path.resolve(__dirname, "../..");
const RUNNER = path.join(ROOT, "node_modules/moleculer/bin/moleculer-runner.js");
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

export interface Proc {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the output matches, rejects after timeoutMs or if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends a signal and waits for the exit (SIGKILL after graceMs). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
  /** kill -9, waits for the exit. */
  kill(): Promise<number | null>;
  /** Writes to stdin (started with { stdin: true }). */
  input(text: string): void;
  exited: Promise<number | null>;
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
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: [opts.stdin ? "pipe" : "ignore", "pipe", "pipe"],
    detached: opts.detached ?? false,
  });
  running.add(child);
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
    for (const l of listeners) l();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      running.delete(child);
      for (const l of listeners) l();
      resolve(code);
    }),
  );

  const proc: Proc = {
    child,
    exited,
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
    async stop(signal = "SIGTERM", graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGKILL");
      return exited;
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
  const proc = startProcess("nats-server", ["-a", "127.0.0.1", "-p", String(p), ...extraArgs], env);
  await proc.waitFor(/Server is ready/);
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

let nodeCounter = 0;

/**
 * An Agora node started exactly like `npm start` does: the compiled dist/
 * through moleculer-runner. Needs `npm run build` first (npm test does it).
 */
export async function startAgoraNode(opts: NodeOptions): Promise<AgoraNode> {
  if (!fs.existsSync(path.join(ROOT, "dist/moleculer.config.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  }
  const nodeID = opts.nodeID ?? `${opts.services.join("-")}-${process.pid}-${++nodeCounter}`;
  const port = opts.services.includes("api") ? await freePort() : 0;
  // Production turns on a health listener (3001) and Prometheus (3030) per
  // node; many nodes on one machine need a port each.
  const healthPort = opts.env?.HEALTH_PORT ?? String(await freePort());
  const metricsPort = opts.env?.METRICS_PORT ?? String(await freePort());
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    NODE_ID: nodeID,
    SERVICES: opts.services.join(","),
    // Any suite that loaded moleculer.config in this jest process set SERVICEDIR
    // to the TypeScript sources; the production command loads the compiled ones.
    SERVICEDIR: path.join(ROOT, "dist/services"),
    TRANSPORTER: opts.transporter ?? "",
    PORT: String(port),
    LOGLEVEL: "info",
    DATA_DIR: ":memory:",
    JEST_WORKER_ID: "",
    HEALTH_PORT: healthPort,
    METRICS_PORT: metricsPort,
    ...opts.env,
  };
  const proc = startProcess(process.execPath, [RUNNER, "--config", "dist/moleculer.config.js"], env);
  await proc.waitFor(/ServiceBroker with \d+ service\(s\) started successfully/, 60_000);
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
