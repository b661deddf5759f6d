import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { LoadResult, LoadSpec, RouteStats } from "./load-spec";
import { wrkScript } from "./wrk-script";

/**
 * Runs wrk (Debian's wrk 4.1: C, epoll, LuaJIT) against a LoadSpec: the
 * warm-up as one run, a 2 s pause, then the measured run. Without users: one
 * wrk thread and `connections` connections (`wrk -t1 -c50`), so two cores are
 * left to what is measured. With users: one thread and connection per user.
 */

let runCounter = 0;

interface WrkOutput {
  requests: number;
  durationUs: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50: number;
  p99: number;
  p999: number;
  samples?: string[];
}

const ms = (us: number) => Math.round(us) / 1000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function routeStats(samples: { status: number; us: number }[], seconds: number): RouteStats {
  const sorted = samples.map((s) => s.us).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  return {
    count: samples.length,
    reqPerSec: Math.round((samples.length / seconds) * 10) / 10,
    p50Ms: ms(percentile(sorted, 50)),
    p99Ms: ms(percentile(sorted, 99)),
    p999Ms: ms(percentile(sorted, 99.9)),
    non2xx: samples.filter((s) => s.status < 200 || s.status > 299).length,
    statuses,
  };
}

async function wrk(spec: LoadSpec, seconds: number, scriptFile: string, cpus?: string): Promise<WrkOutput> {
  const threads = spec.users?.length || 1;
  const connections = spec.users?.length || spec.connections;
  const args = [
    `-t${threads}`,
    `-c${connections}`,
    `-d${seconds}s`,
    `--timeout`,
    `${spec.timeoutSec ?? 10}s`,
    "-s",
    scriptFile,
    spec.url,
  ];
  const [command, argv] = cpus ? ["taskset", ["-c", cpus, "wrk", ...args]] : ["wrk", args];
  const child = spawn(command, argv, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const line = stdout.split("\n").find((l) => l.startsWith("{"));
  if (code !== 0 || !line) throw new Error(`wrk failed (${code}): ${stderr.slice(-2000)} ${stdout.slice(-2000)}`);
  return JSON.parse(line) as WrkOutput;
}

export async function runLoad(spec: LoadSpec, workDir: string, cpus?: string): Promise<LoadResult> {
  fs.mkdirSync(workDir, { recursive: true });
  const id = ++runCounter;
  const script = (phase: string) => {
    const file = path.join(workDir, `load-${id}-${phase}.lua`);
    // Idempotency keys differ per run and phase: a warm-up checkout must not answer a measured one.
    fs.writeFileSync(file, wrkScript(spec, `bench-${process.pid}-${id}-${phase}-`));
    return file;
  };
  if (spec.warmupSec > 0) {
    await wrk(spec, spec.warmupSec, script("warmup"), cpus);
    // Requests in flight when the warm-up stopped must not land in the measured part.
    await new Promise((r) => setTimeout(r, 2000));
  }
  // CLOCK_MONOTONIC, the clock V8's CPU profiles use: lets a profile be cut to the measured window.
  const startUs = Number(process.hrtime.bigint() / 1000n);
  const out = await wrk(spec, spec.durationSec, script("measure"), cpus);
  const endUs = Number(process.hrtime.bigint() / 1000n);
  const seconds = out.durationUs / 1e6;

  const byRoute = new Map<string, { status: number; us: number }[]>(spec.sequence.map((s) => [s.route, []]));
  for (const line of out.samples ?? []) {
    const [route, status, us] = line.split(" ");
    byRoute.get(route)?.push({ status: Number(status), us: Number(us) });
  }
  const all = [...byRoute.values()].flat();
  const overall: RouteStats = out.samples
    ? routeStats(all, seconds)
    : {
        count: out.requests,
        reqPerSec: Math.round((out.requests / seconds) * 10) / 10,
        p50Ms: ms(out.p50),
        p99Ms: ms(out.p99),
        p999Ms: ms(out.p999),
        // wrk counts answers ≥ 400 as status errors.
        non2xx: out.status,
        statuses: {},
      };
  return {
    ...overall,
    durationSec: spec.durationSec,
    connections: spec.users?.length || spec.connections,
    errors: out.connect + out.read + out.write,
    timeouts: out.timeout,
    windowUs: [startUs, endUs],
    routes: out.samples
      ? Object.fromEntries([...byRoute].map(([name, s]) => [name, routeStats(s, seconds)]))
      : { [spec.sequence[0].route]: overall },
  };
}
