import type { Context, ServiceSchema } from "moleculer";
import { readiness, type Readiness } from "./health";
import { observeParams } from "./node-probe.params";
import { requestRate } from "./request-rate";

/** What one node reports about itself to the status page. */
export interface NodeObservation {
  nodeID: string;
  readiness: Readiness;
  /** Action calls per second handled by this node (last 10 s). */
  requestRate: number;
  uptime: number;
  memoryMB: number;
  /** CPU used by this process since the previous observation, in % of one core. */
  cpuPercent: number;
}

let lastCpu = { usage: process.cpuUsage(), at: process.hrtime.bigint() };

function cpuPercentSinceLast(): number {
  const usage = process.cpuUsage();
  const at = process.hrtime.bigint();
  const usedMicros = usage.user - lastCpu.usage.user + (usage.system - lastCpu.usage.system);
  const wallMicros = Number(at - lastCpu.at) / 1000;
  lastCpu = { usage, at };
  return wallMicros > 0 ? Math.round((usedMicros / wallMicros) * 100) : 0;
}

/**
 * Extends Moleculer's internal `$node` service, which runs on every node, with
 * `$node.observe`: the gateway's /status page asks each node for it.
 * A factory, because Moleculer mixes its own schema into the one it is given.
 */
export function nodeProbeService(): Partial<ServiceSchema> {
  return {
    name: "$node",
    actions: {
      observe: {
        visibility: "public",
        cache: false,
        tracing: false,
        params: observeParams,
        async handler(ctx: Context): Promise<NodeObservation> {
          const broker = ctx.broker;
          return {
            nodeID: broker.nodeID,
            readiness: await readiness(broker),
            requestRate: requestRate(broker),
            uptime: Math.round(process.uptime()),
            memoryMB: Math.round(process.memoryUsage().rss / 1048576),
            cpuPercent: cpuPercentSinceLast(),
          };
        },
      },
    },
  };
}
