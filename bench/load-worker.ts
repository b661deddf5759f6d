import fs from "node:fs";
import autocannon from "autocannon";
import type { LoadResult, LoadSpec, RouteStats } from "./lib/load-spec";

/**
 * The load generator, in its own process so that it never shares an event
 * loop with anything measured: `node --import tsx bench/load-worker.ts
 * <spec.json> <result.json>`. Runs autocannon for the warm-up, then again for
 * the measured part, and records every response's latency per route.
 *
 * Without users, one autocannon instance drives `connections` connections
 * through the request sequence. With users, each user gets an instance with
 * one connection of its own, so a user's cart is never touched by two
 * connections at once (a checkout empties the cart the next one fills).
 */

let keyCounter = 0;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[idx] * 1000) / 1000;
}

class Samples {
  private data = new Float64Array(1 << 16);
  length = 0;
  push(v: number) {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}

interface Tally {
  latencies: Samples;
  non2xx: number;
  statuses: Record<string, number>;
}

const newTally = (): Tally => ({ latencies: new Samples(), non2xx: 0, statuses: {} });

function stats(t: Tally, seconds: number): RouteStats {
  const sorted = t.latencies.sorted();
  return {
    count: t.latencies.length,
    reqPerSec: Math.round((t.latencies.length / seconds) * 10) / 10,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    p999Ms: percentile(sorted, 99.9),
    non2xx: t.non2xx,
    statuses: t.statuses,
  };
}

function requestsFor(spec: LoadSpec, token?: string, vars: Record<string, string> = {}): autocannon.Request[] {
  return spec.sequence.map((step) => {
    const headers: Record<string, string> = { ...step.headers };
    if (step.body !== undefined) headers["content-type"] = "application/json";
    if (step.auth && token) headers.authorization = `Bearer ${token}`;
    const req: autocannon.Request = {
      method: step.method as autocannon.Request["method"],
      path: step.path.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? ""),
      headers,
      body: step.body === undefined ? undefined : JSON.stringify(step.body),
    };
    if (step.idempotencyKey) {
      req.setupRequest = (r: autocannon.Request) => ({
        ...r,
        headers: { ...r.headers, "idempotency-key": `bench-${process.pid}-${++keyCounter}` },
      });
    }
    return req;
  });
}

async function runPhase(spec: LoadSpec, seconds: number, measure: boolean) {
  const total = newTally();
  const routes = new Map<string, Tally>(spec.sequence.map((s) => [s.route, newTally()]));
  let errors = 0;
  let timeouts = 0;
  const clients = spec.users?.length
    ? spec.users.map((u) => ({ connections: 1, token: u.token, vars: u.vars }))
    : [{ connections: spec.connections, token: undefined, vars: undefined }];

  const runs = clients.map(
    (c) =>
      new Promise<void>((resolve, reject) => {
        const instance = autocannon(
          {
            url: spec.url,
            connections: c.connections,
            duration: seconds,
            pipelining: 1,
            timeout: spec.timeoutSec ?? 10,
            requests: requestsFor(spec, c.token, c.vars),
          },
          (err) => (err ? reject(err) : resolve()),
        );
        instance.on("response", (client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
          if (!measure) return;
          // The response event fires before the client moves on, so the index is the request just answered.
          const index = (client as { requestIterator: { currentRequestIndex: number } }).requestIterator
            .currentRequestIndex;
          const route = routes.get(spec.sequence[index]?.route ?? "")!;
          for (const t of [total, route]) {
            if (!t) continue;
            t.latencies.push(responseTime);
            t.statuses[statusCode] = (t.statuses[statusCode] ?? 0) + 1;
            if (statusCode < 200 || statusCode > 299) t.non2xx++;
          }
        });
        instance.on("reqError", () => {
          if (measure) errors++;
        });
        instance.on("done", (r: autocannon.Result) => {
          if (measure) timeouts += r.timeouts;
        });
      }),
  );
  await Promise.all(runs);
  return { total, routes, errors, timeouts };
}

async function main() {
  const [specFile, resultFile] = process.argv.slice(2);
  const spec = JSON.parse(fs.readFileSync(specFile, "utf8")) as LoadSpec;
  if (spec.warmupSec > 0) {
    await runPhase(spec, spec.warmupSec, false);
    // Requests still in flight when the warm-up stopped must not land in the measured part
    // (an abandoned checkout would empty a cart the next loop just filled).
    await new Promise((r) => setTimeout(r, 2000));
  }
  // CLOCK_MONOTONIC, the clock V8's CPU profiles use: lets a profile be cut to the measured window.
  const startUs = Number(process.hrtime.bigint() / 1000n);
  const { total, routes, errors, timeouts } = await runPhase(spec, spec.durationSec, true);
  const endUs = Number(process.hrtime.bigint() / 1000n);
  const overall = stats(total, spec.durationSec);
  const result: LoadResult = {
    ...overall,
    durationSec: spec.durationSec,
    connections: spec.users?.length || spec.connections,
    errors,
    timeouts,
    windowUs: [startUs, endUs],
    routes: Object.fromEntries([...routes].map(([name, t]) => [name, stats(t, spec.durationSec)])),
  };
  fs.writeFileSync(resultFile, JSON.stringify(result, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
