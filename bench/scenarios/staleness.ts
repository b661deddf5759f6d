import { runLoad } from "../lib/load";
import type { LoadSpec } from "../lib/load-spec";
import { sleep } from "../lib/procs";
import type { ScenarioResult } from "../lib/report";
import { deploy, json, type Deployment } from "../lib/shop";
import { ns } from "./common";
import type { BenchContext, Scenario } from "./context";

/**
 * S2-stale: how long a gateway keeps serving a product read from its cache
 * after a write through another gateway has returned. Two gateways over NATS
 * (A and B) share a catalog + inventory node; wrk reads the product through B
 * the whole time, while the admin sets its stock through A once every 200 ms
 * and, after each write returns, reads it through A once (it must be new: the
 * writer's gateway answers its own writes at once) and, at the same time,
 * through B every millisecond until B shows it. Staleness per write = the time from the write's
 * answer to B's first new answer; it includes that last read's own latency
 * under the load.
 */

const admin = { email: "bench-stale-admin@example.com", password: "bench stale admin password" };

const rounded = (v: number) => Math.round(v * 10) / 10;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
}

async function available(url: string, path: string): Promise<number | undefined> {
  const res = await json<{ available?: number }>(`${url}${path}`);
  return res.status === 200 ? res.body.available : undefined;
}

async function staleness(ctx: BenchContext, id: string, title: string, namespace: string): Promise<ScenarioResult> {
  const productPath = `/api/v1/products/${ctx.seed.productIds[0]}`;
  const deployments: Deployment[] = [];
  try {
    deployments.push(
      await deploy({
        layout: [
          { name: "api-a", services: ["api"] },
          { name: "catalog-stale", services: ["catalog", "inventory"] },
          {
            name: "users-stale",
            services: ["users"],
            env: { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password },
          },
        ],
        seed: ctx.seed,
        workDir: ctx.workDir,
        logDir: ctx.logDir,
        namespace,
        transporter: ctx.natsUrl,
        probe: async (url) =>
          (await json(`${url}/api/v1/auth/login`, { method: "POST", body: JSON.stringify(admin) })).status === 200,
      }),
    );
    deployments.push(
      await deploy({
        layout: [{ name: "api-b", services: ["api"] }],
        seed: ctx.seed,
        workDir: ctx.workDir,
        logDir: ctx.logDir,
        namespace,
        transporter: ctx.natsUrl,
      }),
    );
    const [a, b] = deployments;
    const login = await json<{ token: string }>(`${a.url}/api/v1/auth/login`, {
      method: "POST",
      body: JSON.stringify(admin),
    });
    const token = login.body.token;
    const spec: LoadSpec = {
      url: b.url,
      connections: ctx.opts.connections,
      durationSec: ctx.opts.durationSec,
      warmupSec: ctx.opts.warmupSec,
      sequence: [{ route: "get", method: "GET", path: productPath }],
    };
    const load = runLoad(spec, ctx.workDir);
    let loading = true;
    void load.finally(() => (loading = false));
    // Into the measured part of the load (after its warm-up and pause).
    await sleep((ctx.opts.warmupSec + 2.5) * 1000);
    const stale: number[] = [];
    let ownGatewayStale = 0;
    for (let quantity = 500_000; loading; quantity++) {
      const put = await json(`${a.url}/api/v1/inventory/${ctx.seed.productIds[0]}`, {
        method: "PUT",
        token,
        body: JSON.stringify({ quantity }),
      });
      if (put.status !== 200) throw new Error(`PUT /inventory: ${put.status} ${put.text}`);
      const written = performance.now();
      // Both gateways at once: B's clock must not include A's answer time.
      const [own] = await Promise.all([
        available(a.url, productPath),
        (async () => {
          while ((await available(b.url, productPath)) !== quantity) await sleep(1);
          stale.push(performance.now() - written);
        })(),
      ]);
      if (own !== quantity) ownGatewayStale++;
      await sleep(200);
    }
    const result = await load;
    const worst = rounded(Math.max(...stale));
    return {
      id,
      title,
      reqPerSec: result.reqPerSec,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      p999Ms: result.p999Ms,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      ceiling: "C2",
      ratioToCeiling: null,
      staleMs: {
        writes: stale.length,
        p50: rounded(quantile(stale, 0.5)),
        p99: rounded(quantile(stale, 0.99)),
        max: worst,
      },
      target: {
        text: `other gateway ≤ 100 ms after the write (max ${worst} ms over ${stale.length} writes), writer's gateway at once (${ownGatewayStale} stale)`,
        met: stale.length > 0 && worst <= 100 && ownGatewayStale === 0 && result.errors === 0 && result.non2xx === 0,
      },
      note: `Staleness after ${stale.length} stock writes through gateway A while wrk read through gateway B: p50 ${rounded(
        quantile(stale, 0.5),
      )} ms, p99 ${rounded(quantile(stale, 0.99))} ms, max ${worst} ms (each includes B's answer time under load); gateway A served its own write at once in ${
        stale.length - ownGatewayStale
      } of ${stale.length}. req/s and latency are B's under the wrk load.`,
    };
  } finally {
    await Promise.all(deployments.map((d) => d.stop()));
  }
}

export const s2Stale: Scenario = {
  id: "S2-stale",
  requires: ["nats-server"],
  title: "staleness: two gateways over NATS, writes through A, wrk reads through B",
  needs: ["C2"],
  async run(ctx) {
    return staleness(ctx, "S2-stale", this.title, ns("S2-stale"));
  },
};
