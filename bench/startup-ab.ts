import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cpuMs } from "./lib/cpu-time";
import { READY_LINE, rssMb, sleep, spawnAgora, spawnNats } from "./lib/procs";
import { builtServices, deploy, seedData } from "./lib/shop";
import { ROOT } from "./lib/procs";

/**
 * A/B of start-up (S6) on a busy machine:
 *
 *   npx tsx bench/startup-ab.ts --a-build dist-before --b-build dist [--rounds 8] [--services api,users]
 *   npx tsx bench/startup-ab.ts --a KEY=VALUE --b KEY=VALUE           # one setting, same build
 *   ... --a-flags "--max-semi-space-size=1" --b-flags ""              # node flags per variant
 *
 * Starts one support node with every service (as S6 does), then, round
 * after round, each single-service node from A and from B in turns (A B,
 * then B A, ...), so drifting background load hits both alike: ms from
 * spawn to the broker's "started successfully" line, and RSS `--settle`
 * ms later; and the CPU time (user + system) the node had used when it was
 * ready, which other jobs on the machine move much less than the wall time.
 * Prints per service the median of each variant and the median of the
 * per-round B/A ratios.
 */

function parse(argv: string[]) {
  const out = {
    a: {} as NodeJS.ProcessEnv,
    b: {} as NodeJS.ProcessEnv,
    builds: { a: "dist", b: "dist" },
    flags: { a: [] as string[], b: [] as string[] },
    rounds: 8,
    settle: 2000,
    services: undefined as string[] | undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1] ?? "";
    if (argv[i] === "--a" || argv[i] === "--b") {
      const [key, ...rest] = v.split("=");
      out[argv[i] === "--a" ? "a" : "b"][key] = rest.join("=");
    } else if (argv[i] === "--a-build" || argv[i] === "--b-build") out.builds[argv[i] === "--a-build" ? "a" : "b"] = v;
    else if (argv[i] === "--a-flags" || argv[i] === "--b-flags")
      out.flags[argv[i] === "--a-flags" ? "a" : "b"] = v.split(" ").filter(Boolean);
    else if (argv[i] === "--rounds") out.rounds = Number(v);
    else if (argv[i] === "--settle") out.settle = Number(v);
    else if (argv[i] === "--services") out.services = v.split(",");
    else continue;
    i++;
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  if (s.length === 0) return NaN;
  const m = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return Math.round(m * 100) / 100;
};

async function main() {
  const opts = parse(process.argv.slice(2));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-startup-ab-"));
  const logDir = path.join(workDir, "logs");
  const namespace = `startup-ab-${process.pid}`;
  const services = opts.services ?? builtServices(ROOT);
  const nats = await spawnNats(logDir);
  const seed = await seedData(workDir, logDir, `${namespace}-seed`);
  const support = await deploy({
    layout: [{ name: "support", services: builtServices(ROOT) }],
    seed,
    workDir,
    logDir,
    namespace,
    transporter: nats.url,
  });
  const ms: Record<string, { a: number[]; b: number[] }> = {};
  const rss: Record<string, { a: number[]; b: number[] }> = {};
  const cpu: Record<string, { a: number[]; b: number[] }> = {};
  const load = () => os.loadavg()[0].toFixed(1);
  const loads = [load()];
  try {
    for (let round = 0; round < opts.rounds; round++) {
      const order: ("a" | "b")[] = round % 2 ? ["b", "a"] : ["a", "b"];
      for (const service of services) {
        ms[service] ??= { a: [], b: [] };
        rss[service] ??= { a: [], b: [] };
        cpu[service] ??= { a: [], b: [] };
        for (const variant of order) {
          const node = await spawnAgora({
            name: `${service}-${variant}-${round}`,
            services: [service],
            logDir,
            namespace,
            transporter: nats.url,
            build: opts.builds[variant],
            nodeFlags: opts.flags[variant],
            env: { DATA_DIR: ":memory:", JWT_SECRET: "bench-only-jwt-secret-0123456789abcdef", ...opts[variant] },
          });
          try {
            const readyAt = await node.waitForLog(READY_LINE, 30_000);
            ms[service][variant].push(readyAt - node.spawnedAt);
            cpu[service][variant].push(cpuMs([node.pid]));
            await sleep(opts.settle);
            const mb = rssMb(node.pid);
            if (mb !== null) rss[service][variant].push(mb);
          } finally {
            await node.stop();
          }
        }
      }
      loads.push(load());
      console.error(`round ${round + 1}/${opts.rounds} done (load ${loads[loads.length - 1]})`);
    }
  } finally {
    await support.stop();
    await nats.stop();
  }
  const label = (v: "a" | "b") =>
    [
      opts.builds[v],
      ...Object.entries(opts[v]).map(([k, x]) => `${k}=${x}`),
      ...(opts.flags[v].length ? [opts.flags[v].join(" ")] : []),
    ].join(" ");
  console.log(`A = ${label("a")}; B = ${label("b")}; ${opts.rounds} rounds, load average ${loads.join(" → ")}`);
  console.log("| node | A ms | B ms | B/A ms | A CPU ms | B CPU ms | B/A CPU | A RSS MB | B RSS MB |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const ratio = (x: { a: number[]; b: number[] }) => median(x.a.map((a, i) => x.b[i] / a)).toFixed(2);
  for (const service of services) {
    const [m, c, r] = [ms[service], cpu[service], rss[service]];
    console.log(
      `| ${service} | ${median(m.a).toFixed(0)} | ${median(m.b).toFixed(0)} | ${ratio(m)} | ${median(c.a).toFixed(0)} | ${median(c.b).toFixed(0)} | ${ratio(c)} | ${median(r.a)} | ${median(r.b)} |`,
    );
  }
  fs.rmSync(workDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
