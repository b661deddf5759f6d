import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServiceBroker } from "moleculer";
import { config } from "../config";
import { isStoreAdapter, type StoreAdapter } from "../store/store-adapter";
import { declaredDependencies, hardDependencies } from "./dependencies";
import { answerClientErrors } from "../gateway/client-errors";
import { natsClientOf } from "../patches/moleculer/nats-client";
import { startReadinessMetric } from "./readiness-metric";

/**
 * Liveness and readiness of one node.
 *
 *   liveness   the process and its event loop answer (an HTTP 200 at all)
 *   readiness  the broker has started and is not stopping, the transporter
 *              reaches its server, each local service's store answers, and
 *              every service a local service declares as a hard dependency
 *              (dependencies.ts; or Moleculer's own `dependencies`) has an
 *              available instance somewhere in the cluster
 *
 * Each check that fails is named in the answer, e.g.
 *   {"status":"unavailable","failing":["transporter"],"checks":{...}}
 */

const CHECK_TIMEOUT_MS = 1500;

export interface CheckResult {
  ok: boolean;
  error?: string;
}

export interface Readiness {
  status: "ok" | "unavailable";
  nodeID: string;
  failing: string[];
  checks: Record<string, CheckResult>;
}

function withTimeout<T>(promise: Promise<T>, ms = CHECK_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function run(check: () => Promise<void> | void): Promise<CheckResult> {
  try {
    await withTimeout(Promise.resolve().then(check));
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** The transporter reaches its server: a NATS round trip, else Moleculer's own flag. */
async function transporterCheck(broker: ServiceBroker): Promise<void> {
  const transit = broker.transit;
  if (!transit) return;
  const client = natsClientOf(transit.tx);
  if (client) {
    if (client.isClosed()) throw new Error("connection closed");
    await client.rtt();
    return;
  }
  if (!transit.connected) throw new Error("not connected");
}

/** A MongoDB store answers a ping; the embedded store is in this process. */
function storeCheck(adapter: StoreAdapter): Promise<void> {
  return adapter.ping();
}

function localServices(broker: ServiceBroker) {
  return broker.services.filter((s) => !s.name.startsWith("$"));
}

/** The services the local ones cannot work without that are not running on this node. */
export function requiredServices(broker: ServiceBroker): string[] {
  const local = localServices(broker);
  const localNames = new Set(local.map((s) => s.name));
  const required = new Set<string>();
  for (const service of local) {
    for (const dep of hardDependencies(declaredDependencies(service.metadata))) required.add(dep);
    const declared = (service.schema as { dependencies?: unknown }).dependencies;
    for (const dep of Array.isArray(declared) ? declared : declared ? [declared] : []) {
      const name = typeof dep === "string" ? dep : (dep as { name?: string }).name;
      if (name) required.add(name.replace(/^v\d+\./, ""));
    }
  }
  return [...required].filter((name) => !localNames.has(name)).sort();
}

function availableServices(broker: ServiceBroker): Set<string> {
  const list = broker.registry.getServiceList({ onlyAvailable: true, skipInternal: true }) as { name: string }[];
  return new Set(list.map((s) => s.name));
}

export async function readiness(broker: ServiceBroker): Promise<Readiness> {
  const checks: Record<string, CheckResult> = {};
  checks.broker = broker.stopping
    ? { ok: false, error: "stopping" }
    : broker.started
      ? { ok: true }
      : { ok: false, error: "starting" };

  const pending: Promise<void>[] = [];
  if (broker.transit) pending.push(run(() => transporterCheck(broker)).then((r) => void (checks.transporter = r)));
  for (const service of localServices(broker)) {
    const adapter: unknown = "adapter" in service ? service.adapter : undefined;
    if (isStoreAdapter(adapter))
      pending.push(run(() => storeCheck(adapter)).then((r) => void (checks[`store:${service.name}`] = r)));
  }
  await Promise.all(pending);

  const available = availableServices(broker);
  for (const name of requiredServices(broker)) {
    checks[`service:${name}`] = available.has(name) ? { ok: true } : { ok: false, error: "no available instance" };
  }

  const failing = Object.keys(checks).filter((k) => !checks[k].ok);
  return { status: failing.length ? "unavailable" : "ok", nodeID: broker.nodeID, failing, checks };
}

export function liveness(broker: ServiceBroker) {
  // The version tells which build answers, e.g. while a rollout replaces containers one by one.
  return { status: "ok", nodeID: broker.nodeID, version: config.AGORA_VERSION, uptime: Math.round(process.uptime()) };
}

/**
 * Answers GET /healthz and GET /readyz (200, or 503 with the failing checks)
 * for a request, or returns false for any other path.
 */
export function answerProbe(broker: ServiceBroker, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  // "/healthz/" too: the gateway routes it to the probe (moleculer-web ignores a trailing slash).
  const path = (req.url ?? "").split("?")[0].replace(/(.)\/$/, "$1");
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const send = (status: number, body: object) => {
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
  };
  if (path === "/healthz") {
    send(200, liveness(broker));
    return true;
  }
  if (path === "/readyz") {
    readiness(broker).then(
      (r) => send(r.status === "ok" ? 200 : 503, r),
      (err: Error) => send(503, { status: "unavailable", failing: ["readiness"], error: err.message }),
    );
    return true;
  }
  return false;
}

const PROBE_PATHS = ["/healthz", "/readyz"];

/** HEALTH_PORT: 3001 in production, off elsewhere; 0 turns it off. */
export function healthPort(): number | undefined {
  const port = config.HEALTH_PORT;
  return port > 0 ? port : undefined;
}

/**
 * The probe listener every node runs (service-only nodes have no gateway),
 * so Docker HEALTHCHECK and Kubernetes probes work on any node.
 */
export async function startHealthServer(broker: ServiceBroker, port: number): Promise<Server> {
  const server = http.createServer((req, res) => {
    if (answerProbe(broker, req, res)) return;
    const probePath = PROBE_PATHS.includes((req.url ?? "").split("?")[0]);
    // Every method gets an answer: the probes serve GET and HEAD only.
    if (probePath && req.method === "OPTIONS") {
      res.writeHead(204, { Allow: "GET, HEAD, OPTIONS", "Content-Length": "0" });
      return res.end();
    }
    const status = probePath ? 405 : 404;
    res.writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      ...(probePath && { Allow: "GET, HEAD, OPTIONS" }),
    });
    // The gateway's error shape, so one client-side parser reads both ports.
    res.end(
      JSON.stringify(
        status === 405
          ? {
              name: "MethodNotAllowedError",
              message: "The probes answer GET and HEAD only",
              code: 405,
              type: "METHOD_NOT_ALLOWED",
            }
          : {
              name: "NotFoundError",
              message: "This port serves /healthz and /readyz only",
              code: 404,
              type: "NOT_FOUND",
            },
      ),
    );
  });
  // Requests Node's parser refuses (huge headers, not HTTP) get the same JSON error as on the gateway.
  answerClientErrors(server);
  // Probes must not keep a stopping process alive.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // The same readiness as a metric, for as long as the probes are served.
  server.on(
    "close",
    startReadinessMetric(broker, () => readiness(broker)),
  );
  const address = server.address() as AddressInfo;
  broker.logger.info(`Health probes on http://0.0.0.0:${address.port}/healthz and /readyz`);
  return server;
}
