import { freePort, READY_LINE, ROOT, rssMb, spawnAgora } from "../lib/procs";
import type { ScenarioResult } from "../lib/report";
import { builtServices, deploy } from "../lib/shop";
import { ns } from "./common";
import type { BenchContext, Scenario } from "./context";

async function startup(ctx: BenchContext, title: string): Promise<ScenarioResult> {
  const services = builtServices(ROOT);
  const startupMs: Record<string, number> = {};
  const rss: Record<string, number | null> = {};
  // Every service's dependencies run in a support node, so each measured node becomes ready on its own.
  const support = await deploy({
    layout: [{ name: "s6-support", services }],
    seed: ctx.seed,
    workDir: ctx.workDir,
    logDir: ctx.logDir,
    namespace: ns("S6"),
    transporter: ctx.natsUrl,
  });
  try {
    for (const service of services) {
      const port = service === "api" ? await freePort() : undefined;
      const node = await spawnAgora({
        name: `s6-${service}`,
        services: [service],
        logDir: ctx.logDir,
        namespace: ns("S6"),
        transporter: ctx.natsUrl,
        port,
        env: { DATA_DIR: ":memory:", JWT_SECRET: "bench-only-jwt-secret-0123456789abcdef" },
      });
      try {
        const readyAt = await node.waitForLog(READY_LINE, 30_000);
        startupMs[service] = Math.round(readyAt - node.spawnedAt);
        // Warm-up: let timers, discovery and the first calls settle before reading RSS.
        await new Promise((r) => setTimeout(r, 2000));
        rss[`${service} (idle)`] = rssMb(node.pid);
      } finally {
        await node.stop();
      }
    }
  } finally {
    await support.stop();
  }
  const worstStart = Math.max(...Object.values(startupMs));
  const worstRss = Math.max(...Object.values(rss).map((v) => v ?? 0));
  return {
    id: "S6",
    title,
    reqPerSec: null,
    p50Ms: null,
    p99Ms: null,
    p999Ms: null,
    errors: 0,
    non2xx: 0,
    ceiling: null,
    ratioToCeiling: null,
    startupMs,
    rssMb: rss,
    target: {
      text: `≤ 1000 ms to ready, ≤ 100 MB RSS (worst: ${worstStart} ms, ${worstRss} MB)`,
      met: worstStart <= 1000 && worstRss <= 100,
    },
    note: "Start → ready: spawn of `moleculer-runner` (dist/, NODE_ENV=production) until the broker logs that it started; polled every 10 ms.",
  };
}

/** S6: start → ready of each service alone, and its RSS when idle. */
export const s6: Scenario = {
  id: "S6",
  requires: ["nats-server"],
  title: "start-up to ready per single-service node; RSS after warm-up",
  async run(ctx) {
    return startup(ctx, this.title);
  },
};
