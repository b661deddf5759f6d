import fs from "node:fs";
import { TestCallsAsSystem } from "../helpers/system-calls";
import path from "node:path";
import { ServiceBroker } from "moleculer";

/**
 * Shared pieces of the cluster suites: which services the build has, a
 * broker that joins the cluster only to look at it, and a load generator
 * that records every failed client request.
 */

const DIST_SERVICES = path.resolve(__dirname, "../../dist/services");

/** Services present in the compiled build (those with a *.service.js). */
export function builtServices(): string[] {
  return fs
    .readdirSync(DIST_SERVICES)
    .filter((name) => fs.existsSync(path.join(DIST_SERVICES, name, `${name}.service.js`)))
    .sort();
}

/**
 * Heartbeats every second and a node dropped after 4 s without one, so the
 * suites see joins and deaths in seconds (defaults: 10 s / 30 s).
 */
export const FAST_HEARTBEAT = { HEARTBEAT_INTERVAL: "1", HEARTBEAT_TIMEOUT: "4" };

/** A service-less broker on the same NATS and namespace: it asks nodes for their view ($node.*). */
export async function startObserver(natsUrl: string, namespace: string): Promise<ServiceBroker> {
  const broker = new ServiceBroker({
    namespace,
    nodeID: `observer-${process.pid}-${Date.now()}`,
    transporter: { type: "NATS", options: { url: natsUrl } },
    logger: false,
    heartbeatInterval: 1,
    heartbeatTimeout: 4,
    requestTimeout: 5000,
    // Test code drives services directly as the system (test/helpers/system-calls.ts).
    middlewares: [TestCallsAsSystem],
  });
  await broker.start();
  return broker;
}

export interface NodeView {
  id: string;
  available: boolean;
}

/** The nodes `askNodeID` knows, as it reports them ($node.list). */
export function nodesSeenBy(observer: ServiceBroker, askNodeID: string): Promise<NodeView[]> {
  return observer.call<NodeView[], object>("$node.list", {}, { nodeID: askNodeID });
}

/** Service name → the nodes offering it, as `askNodeID` sees them ($node.services). */
export async function servicesSeenBy(observer: ServiceBroker, askNodeID: string): Promise<Map<string, string[]>> {
  const list = await observer.call<{ name: string; nodes: string[] }[], object>(
    "$node.services",
    { grouping: true, onlyAvailable: true, skipInternal: true },
    { nodeID: askNodeID },
  );
  return new Map(list.map((s) => [s.name, [...s.nodes].sort()]));
}

/** How many times each node ran an action so far, from its own metrics ($node.metrics). */
export async function requestCount(observer: ServiceBroker, nodeID: string, action: string): Promise<number> {
  const metrics = await observer.call<
    { name: string; values: { labels: { action?: string }; value: number }[] }[],
    object
  >("$node.metrics", { includes: ["moleculer.request.total"] }, { nodeID });
  return metrics
    .flatMap((m) => m.values)
    .filter((v) => v.labels.action === action)
    .reduce((sum, v) => sum + v.value, 0);
}

export interface LoadResult {
  ok: number;
  /** The first failures (status and body, or the network error); `failed` counts them all. */
  failures: string[];
  failed: number;
}

const loads = new Set<() => Promise<LoadResult>>();

/** Stops every load still running (for afterAll: a failed test must not leave one looping). */
export async function stopAllLoads(): Promise<void> {
  await Promise.all([...loads].map((stop) => stop()));
}

/**
 * `concurrency` clients requesting GET url+path in a loop until stop() is
 * called; every non-2xx status or network error is a failure.
 */
export function startLoad(baseUrl: string, pathOf: (i: number) => string, concurrency = 6) {
  let running = true;
  let i = 0;
  const result: LoadResult = { ok: 0, failures: [], failed: 0 };
  const fail = async (reason: string) => {
    result.failed++;
    if (result.failures.length < 20) result.failures.push(reason);
    await sleep(20);
  };
  const worker = async () => {
    while (running) {
      const n = i++;
      try {
        const res = await fetch(baseUrl + pathOf(n), { signal: AbortSignal.timeout(30_000) });
        const text = await res.text();
        if (res.ok) result.ok++;
        else await fail(`${res.status} ${text.slice(0, 300)}`);
      } catch (err) {
        await fail(String(err));
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  const stop = async (): Promise<LoadResult> => {
    running = false;
    loads.delete(stop);
    await Promise.all(workers);
    return result;
  };
  loads.add(stop);
  return { result, stop };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
