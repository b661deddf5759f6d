import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { agoraEnvOverrides, spawnNats, ROOT } from "./lib/procs";
import { markdownTable, svgChart, type BenchReport, type ScenarioResult } from "./lib/report";
import { seedData } from "./lib/shop";
import { SCENARIOS, skipped, type BenchContext, type BenchOptions } from "./scenarios";

/**
 * `npm run bench [-- --quick] [--only S1,S2] [--duration 10] [--profile] [--env KEY=VALUE] [--out dir] [--readme]`
 *
 * Starts real processes over loopback (the compiled dist/, like `npm start`),
 * drives them with wrk (bench/lib/load.ts), and measures the
 * ceilings C1 and C2 in the same run, so ratios compare like with like.
 * Writes <out>/latest.json, latest.md and latest.svg (bench/results by default).
 */

function parseArgs(argv: string[]) {
  const args = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    if (a === "--env") {
      const [key, ...value] = (argv[++i] ?? "").split("=");
      agoraEnvOverrides[key] = value.join("=");
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      args.set(a.slice(2), next);
      i++;
    } else args.set(a.slice(2), true);
  }
  return args;
}

/** The ids to run: those asked for plus the ceilings and baselines their ratios need. */
function selection(only: string | undefined): string[] {
  if (!only) return SCENARIOS.map((s) => s.id);
  const wanted = new Set<string>();
  const add = (id: string) => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const need of SCENARIOS.find((s) => s.id === id)?.needs ?? []) add(need);
  };
  for (const token of only.split(",").map((s) => s.trim())) {
    // An exact id is that scenario alone; a prefix (S4) is all of its variants.
    const exact = SCENARIOS.filter((s) => s.id === token);
    const matches = exact.length ? exact : SCENARIOS.filter((s) => s.id.startsWith(`${token}-`));
    if (matches.length === 0)
      throw new Error(`unknown scenario ${token}; known: ${SCENARIOS.map((s) => s.id).join(", ")}`);
    for (const s of matches) add(s.id);
  }
  return SCENARIOS.map((s) => s.id).filter((id) => wanted.has(id));
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

/** Ratios to the ceilings and the targets, once every scenario has run. */
function judge(results: Map<string, ScenarioResult>): void {
  const get = (id: string) => results.get(id);
  for (const s of results.values()) {
    const c = s.ceiling ? get(s.ceiling) : undefined;
    if (c?.reqPerSec && s.reqPerSec !== null) s.ratioToCeiling = round(s.reqPerSec / c.reqPerSec);
  }
  const set = (id: string, text: string, met: (s: ScenarioResult) => boolean | null) => {
    const s = get(id);
    if (!s) return;
    s.target = { text, met: s.skipped ? null : met(s) };
  };
  // Every read scenario runs wrk with C1's own settings (-t1 -c50, one static request): C1 is what wrk alone reaches.
  const c1Rate = get("C1")?.reqPerSec;
  for (const s of results.values()) {
    if (s.generatorReqPerSec === undefined && s.reqPerSec !== null && c1Rate) s.generatorReqPerSec = c1Rate;
  }
  const zero = (s: ScenarioResult) => s.errors === 0 && s.non2xx === 0;
  const c2 = get("C2");
  const s2 = get("S2");
  const s1 = get("S1");
  set("S1", "≥ 0.40 × C1", (s) => s.ratioToCeiling !== null && s.ratioToCeiling >= 0.4 && zero(s));
  set("S1-list", "≥ 0.5 × S1", (s) => (s1?.reqPerSec ? s.reqPerSec! >= 0.5 * s1.reqPerSec && zero(s) : null));
  const noMetrics = get("S1-nometrics");
  const mc = noMetrics?.metricsCost;
  if (noMetrics && mc) {
    noMetrics.note =
      `Metrics on cost ${round(mc.cpuShare * 100, 1)}% of S1's CPU per request (${mc.cpuUsPerReqOn} µs on, ` +
      `${mc.cpuUsPerReqOff} µs off; medians of ${mc.rounds} alternating ${mc.sliceSec} s slices each, ` +
      `against a metrics-on twin of S1 started beside it). req/s in the same slices: ${mc.reqPerSecOn} on, ` +
      `${mc.reqPerSecOff} off (${round(mc.reqPerSecShare * 100, 1)}% fewer with metrics, median of the per-round ratios).`;
    set(
      "S1-nometrics",
      `metrics on cost ≤ 10% of S1 (${round(mc.cpuShare * 100, 1)}% of CPU per request)`,
      (s) => mc.cpuShare <= 0.1 && mc.errors === 0 && zero(s),
    );
  } else if (noMetrics?.reqPerSec && s1?.reqPerSec) {
    const cost = round(1 - s1.reqPerSec / noMetrics.reqPerSec);
    noMetrics.note = `Metrics on cost ${round(cost * 100, 1)}% of S1's throughput (S1 ${s1.reqPerSec} req/s with, ${noMetrics.reqPerSec} without).`;
    set("S1-nometrics", "metrics on cost ≤ 10% of S1", (s) => cost <= 0.1 && zero(s));
  }
  set("S2", "≥ 0.85 × C2, p99 ≤ 1.3 × C2 p99", (s) =>
    s.ratioToCeiling !== null && c2?.p99Ms ? s.ratioToCeiling >= 0.85 && s.p99Ms! <= 1.3 * c2.p99Ms && zero(s) : null,
  );
  set("S2-cache", "≥ 1.5 × C2", (s) => s.ratioToCeiling !== null && s.ratioToCeiling >= 1.5 && zero(s));
  set("S2-tcp", "report (≈ 0.29 × C1 untuned)", (s) => zero(s));
  const tcp = get("S2-tcp");
  const c1 = get("C1");
  if (tcp?.reqPerSec && c1?.reqPerSec && s2?.reqPerSec) {
    tcp.note = `${round(tcp.reqPerSec / c1.reqPerSec)} × C1; ${round(tcp.reqPerSec / s2.reqPerSec)} × S2 (the same over NATS).`;
  }
  set("S3", "≥ 0.9 × S2", (s) => (s2?.reqPerSec ? s.reqPerSec! >= 0.9 * s2.reqPerSec && zero(s) : null));
  set("S4-embedded", "≥ 600 checkouts/s", (s) => s.reqPerSec! >= 600 && zero(s));
  set("S4-nats", "≥ 300 checkouts/s", (s) => s.reqPerSec! >= 300 && zero(s));
  set("S5-2", "≥ 1.6 × S5-1", (s) => (s.ratioToCeiling !== null ? s.ratioToCeiling >= 1.6 && zero(s) : null));
  set("S7", "zero errors", (s) => zero(s));
  for (const id of ["C1", "C2", "S5-1"]) set(id, "zero errors", (s) => zero(s));
  // RSS of the one-service-per-node deployment after its checkout load belongs with S6.
  const s6 = get("S6");
  const s4 = get("S4-nats");
  if (s6 && s4?.rssMb) {
    s6.rssMb = {
      ...s6.rssMb,
      ...Object.fromEntries(Object.entries(s4.rssMb).map(([k, v]) => [`${k} (after S4-nats)`, v])),
    };
    const worst = Math.max(...Object.values(s4.rssMb).map((v) => v ?? 0));
    if (s6.target && worst > 100) s6.target.met = false;
  }
}

/** `--readme`: the summary table (not the per-scenario details) replaces the block between docs/benchmarks.md's markers. */
function updateReadme(table: string): void {
  const file = path.join(ROOT, "docs/benchmarks.md");
  const readme = fs.readFileSync(file, "utf8");
  const start = "<!-- bench:latest -->";
  const end = "<!-- /bench:latest -->";
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/benchmarks.md has no ${start} ... ${end} block`);
  const summary = table.split("\n\n**")[0].trim();
  fs.writeFileSync(file, `${readme.slice(0, from + start.length)}\n\n${summary}\n\n${readme.slice(to)}`);
  // The table's columns are padded the way `npm run lint` expects.
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/prettier/bin/prettier.cjs"), "--write", file]);
  console.log("updated the table in docs/benchmarks.md");
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const quick = args.has("quick");
  const opts: BenchOptions = {
    durationSec: Number(args.get("duration") ?? (quick ? 3 : 10)),
    warmupSec: Number(args.get("warmup") ?? (quick ? 1 : 3)),
    connections: Number(args.get("connections") ?? 50),
    users: Number(args.get("users") ?? (quick ? 16 : 32)),
    profile: args.has("profile"),
  };
  const ids = selection(typeof args.get("only") === "string" ? (args.get("only") as string) : undefined);
  const resultsDir = path.resolve(typeof args.get("out") === "string" ? (args.get("out") as string) : "bench/results");
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-bench-"));
  const logDir = path.join(workDir, "logs");
  fs.mkdirSync(resultsDir, { recursive: true });

  const report: BenchReport = {
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
      memGb: round(os.totalmem() / 2 ** 30, 1),
      os: `${os.type()} ${os.release()}`,
      loadAvgAtStart: os.loadavg().map((v) => round(v)),
    },
    node: process.versions.node,
    date: new Date().toISOString(),
    mode: args.has("duration") || args.has("only") ? "custom" : quick ? "quick" : "full",
    durationSec: opts.durationSec,
    scenarios: [],
  };
  if (Object.keys(agoraEnvOverrides).length) report.env = { ...agoraEnvOverrides } as Record<string, string>;
  console.log(
    `bench: ${ids.join(", ")}; ${opts.durationSec} s each after ${opts.warmupSec} s warm-up; logs in ${logDir}`,
  );

  if (spawnSync("wrk", ["--version"]).error)
    throw new Error("wrk, the load generator, is not on the path (apt-get install -y wrk)");
  const missing = ["nats-server", "taskset"].filter((p) => spawnSync(p, ["--version"]).error);
  const nats = missing.includes("nats-server") ? undefined : await spawnNats(logDir);
  const results = new Map<string, ScenarioResult>();
  try {
    const seed = await seedData(workDir, logDir, `bench-seed-${process.pid}`);
    const ctx: BenchContext = { opts, workDir, logDir, resultsDir, seed, natsUrl: nats?.url ?? "", results };
    for (const id of ids) {
      const scenario = SCENARIOS.find((s) => s.id === id)!;
      process.stdout.write(`${id} ${scenario.title} ... `);
      let result: ScenarioResult;
      const lacking = (scenario.requires ?? []).filter((p) => missing.includes(p));
      try {
        if (lacking.length) throw new Error(`${lacking.join(" and ")} not on the path`);
        const r = await scenario.run(ctx);
        result = Array.isArray(r) ? r[0] : r;
      } catch (err) {
        // One broken scenario (a service that does not start yet) must not cost the others' numbers.
        const message = (err as Error).message.split("\n")[0];
        result = skipped(id, scenario.title, lacking.length ? message : `failed: ${message}`);
        if (!lacking.length) console.error(err);
      }
      results.set(id, result);
      console.log(
        result.skipped
          ? `skipped: ${result.skipped}`
          : result.reqPerSec !== null
            ? `${result.reqPerSec} req/s, p99 ${result.p99Ms} ms, errors ${result.errors}, non-2xx ${result.non2xx}`
            : "done",
      );
    }
  } finally {
    await nats?.stop();
  }

  report.machine.loadAvgAtEnd = os.loadavg().map((v) => round(v));
  judge(results);
  report.scenarios = [...results.values()];
  fs.writeFileSync(path.join(resultsDir, "latest.json"), JSON.stringify(report, null, 2) + "\n");
  const table = markdownTable(report);
  fs.writeFileSync(path.join(resultsDir, "latest.md"), table);
  fs.writeFileSync(path.join(resultsDir, "latest.svg"), svgChart(report));
  console.log(`\n${table}\nwrote ${path.relative(ROOT, resultsDir) || "."}/latest.{json,md,svg}`);
  if (args.has("readme")) updateReadme(table);
  if (!args.has("keep")) fs.rmSync(workDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
