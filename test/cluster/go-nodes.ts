import fs from "node:fs";
import path from "node:path";
import { freePort, startProcess, type Proc } from "../helpers/processes";

/**
 * The Go recommendations node (services/recommendations), started as
 * `npm run start:recommendations` does: the binary `npm run build` put in
 * dist/, configured by the same environment variables as the Node nodes.
 */
const ROOT = path.resolve(__dirname, "../..");
export const GO_BINARY = path.join(ROOT, "dist/recommendations");

export interface GoNode extends Proc {
  nodeID: string;
  healthUrl: string;
  metricsUrl: string;
}

export async function startGoNode(nodeID: string, transporter: string, env: NodeJS.ProcessEnv): Promise<GoNode> {
  if (!fs.existsSync(GO_BINARY)) {
    throw new Error("dist/recommendations is missing: run `npm run build` with `go` on the PATH (npm test does)");
  }
  const [healthPort, metricsPort] = [await freePort(), await freePort()];
  const proc = startProcess(GO_BINARY, [], {
    NODE_ENV: "production",
    NODE_ID: nodeID,
    TRANSPORTER: transporter,
    HEALTH_PORT: String(healthPort),
    METRICS_PORT: String(metricsPort),
    ...env,
  });
  await proc.waitFor(/ServiceBroker with \d+ service\(s\) started successfully/, 30_000);
  return Object.assign(proc, {
    nodeID,
    healthUrl: `http://127.0.0.1:${healthPort}`,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
  });
}

/** Sum of a Prometheus metric's values on one node whose labels include `labels`. */
export async function metricValue(
  metricsUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const has = Object.entries(labels).every(([k, v]) => (m[2] ?? "").includes(`${k}="${v}"`));
    if (has) sum += Number(m[3]);
  }
  return sum;
}
