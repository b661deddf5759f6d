import { performance } from "node:perf_hooks";
import type { Options } from "./args";
import { Client } from "./client";
import { discover, runJourney } from "./journeys";
import { quantile, type Report } from "./report";
import { closedLoop, openLoop } from "./schedule";
import { Stats } from "./stats";

/** One run: learn the catalog, send the journeys on schedule, wait for the last answers, report. */
export async function run(opts: Options, progress: (line: string) => void = () => {}): Promise<Report> {
  const client = new Client(opts.target);
  try {
    const shop = await discover(client);
    if (shop.buyable.length === 0 && (opts.journey === "checkout" || opts.journey === "mix")) {
      throw new Error("no product has stock: set some (PUT /api/v1/inventory/:id as admin) before checking out");
    }
    const stats = new Stats();
    const inFlight = new Set<Promise<void>>();
    const arrival = (index: number, origin: number) => runJourney(opts.journey, index, origin, client, shop, stats);
    const cpuBefore = process.cpuUsage();
    const t0 = performance.now();
    const ticker = setInterval(() => {
      const elapsed = (performance.now() - t0) / 1000;
      const done = stats.journeysOk + stats.journeysFailed;
      progress(
        `${elapsed.toFixed(0).padStart(4)}s/${(opts.durationMs / 1000).toFixed(0)}s  journeys ${done + inFlight.size} ` +
          `(${inFlight.size} in flight)  requests ${stats.requests}  errors ${stats.errors}  ` +
          `rate ${((done + inFlight.size) / elapsed).toFixed(1)}/s  p99 ${stats.p99All().toFixed(1)} ms`,
      );
    }, 1000);
    const schedule = opts.closed
      ? await closedLoop(opts.rate, opts.durationMs, opts.closed, arrival, inFlight)
      : await openLoop(opts.rate, opts.durationMs, arrival, inFlight);
    while (inFlight.size) await Promise.all([...inFlight]);
    clearInterval(ticker);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const span = schedule.lastStartAt - schedule.startedAt + 1000 / opts.rate;
    const lag = [...schedule.lagMs].sort((a, b) => a - b);
    return {
      target: opts.target,
      journey: opts.journey,
      mode: opts.closed ? "closed" : "open",
      rate: opts.rate,
      durationMs: opts.durationMs,
      achievedRate: schedule.started / (span / 1000),
      journeys: { started: schedule.started, ok: stats.journeysOk, failed: stats.journeysFailed },
      requests: stats.requests,
      errors: stats.errors,
      errorsByStatus: Object.fromEntries(stats.errorsByStatus),
      steps: stats.summary(),
      overhead: {
        cpuMs,
        cpuUsPerRequest: stats.requests ? (cpuMs * 1000) / stats.requests : 0,
        lagP99Ms: quantile(lag, 0.99),
        lagMaxMs: lag.length ? lag[lag.length - 1] : 0,
      },
    };
  } finally {
    client.close();
  }
}
