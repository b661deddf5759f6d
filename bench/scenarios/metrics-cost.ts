import { cpuMs, median } from "../lib/cpu-time";
import { runLoad } from "../lib/load";
import { ROOT } from "../lib/procs";
import { builtServices, deploy, type Deployment } from "../lib/shop";
import { fromLoad, ns, productPath, readSpec, withProcs } from "./common";
import type { Scenario } from "./context";

/** S1-nometrics: what metrics cost on S1's read, as CPU time per request. */
export const s1NoMetrics: Scenario = {
  id: "S1-nometrics",
  title: "S1 with METRICS=false, in turns with a metrics-on twin (what metrics cost)",
  needs: ["C1", "S1"],
  async run(ctx) {
    // Two runs minutes apart on a shared machine differ by more than metrics cost: the cost is measured
    // in alternating slices against a twin with metrics on, as CPU time per request (bench/ab.ts does the same).
    const twin = (name: string, env: NodeJS.ProcessEnv) =>
      deploy({
        layout: [{ name, services: builtServices(ROOT), env }],
        seed: ctx.seed,
        workDir: ctx.workDir,
        logDir: ctx.logDir,
        namespace: ns(name),
      });
    const on = await twin("embedded-metrics-on", {});
    const off = await twin("embedded-metrics-off", { METRICS: "false" }).catch(async (err) => {
      await on.stop();
      throw err;
    });
    return withProcs([...on.nodes, ...off.nodes], async () => {
      const sliceSec = ctx.opts.durationSec >= 6 ? 2 : 1;
      const rounds = Math.max(3, Math.round(ctx.opts.durationSec / sliceSec));
      const slice = async (d: Deployment, warmupSec: number) => {
        const pids = d.nodes.map((n) => n.pid);
        const before = cpuMs(pids);
        const load = await runLoad(
          { ...readSpec(ctx, d.url, productPath(ctx)), durationSec: sliceSec, warmupSec },
          ctx.workDir,
        );
        return { load, cpuUsPerReq: load.count > 0 ? ((cpuMs(pids) - before) * 1000) / load.count : NaN };
      };
      await slice(on, ctx.opts.warmupSec);
      await slice(off, ctx.opts.warmupSec);
      const pairs: { on: Awaited<ReturnType<typeof slice>>; off: Awaited<ReturnType<typeof slice>> }[] = [];
      for (let i = 0; i < rounds; i++) {
        if (i % 2) {
          const b = await slice(off, 0);
          pairs.push({ on: await slice(on, 0), off: b });
        } else {
          const a = await slice(on, 0);
          pairs.push({ on: a, off: await slice(off, 0) });
        }
      }
      const cpuOn = median(pairs.map((p) => p.on.cpuUsPerReq));
      const cpuOff = median(pairs.map((p) => p.off.cpuUsPerReq));
      const cpuShare = 1 - median(pairs.map((p) => p.off.cpuUsPerReq / p.on.cpuUsPerReq));
      const reqShare = 1 - median(pairs.map((p) => p.on.load.reqPerSec / p.off.load.reqPerSec));
      // The row shows the metrics-off slice of median throughput.
      const sorted = [...pairs].sort((x, y) => x.off.load.reqPerSec - y.off.load.reqPerSec);
      const row = fromLoad("S1-nometrics", this.title, sorted[Math.floor(sorted.length / 2)].off.load, "C1");
      const errors = pairs.reduce(
        (n, p) => n + p.on.load.errors + p.on.load.non2xx + p.off.load.errors + p.off.load.non2xx,
        0,
      );
      row.metricsCost = {
        rounds,
        sliceSec,
        cpuUsPerReqOn: Math.round(cpuOn * 10) / 10,
        cpuUsPerReqOff: Math.round(cpuOff * 10) / 10,
        cpuShare: Math.round(cpuShare * 1000) / 1000,
        reqPerSecOn: median(pairs.map((p) => p.on.load.reqPerSec)),
        reqPerSecOff: median(pairs.map((p) => p.off.load.reqPerSec)),
        reqPerSecShare: Math.round(reqShare * 1000) / 1000,
        errors,
      };
      return row;
    });
  },
};
