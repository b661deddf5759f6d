import fs from "node:fs";
import path from "node:path";

/**
 * Where a process's busy time goes, by area of the request path rather than
 * by package: each sample is charged to the innermost frame of its stack that
 * belongs to a known area, so a socket or file write (native, no package) is
 * charged to whoever made it (the HTTP response, NATS, the store's log).
 * `npx tsx bench/lib/cpu-breakdown.ts <profile dir or .cpuprofile> [requests]`
 * (a dir kept by `npm run bench -- --profile --keep`, whose window.json cuts
 * it to the measured load); with `requests`, µs per request too.
 */

interface Frame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: Frame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Ordered: the first rule that matches a frame names its area; frames no rule matches are passed over. */
const AREAS: [string, (f: Frame) => boolean][] = [
  ["garbage collector", (f) => f.functionName === "(garbage collector)"],
  ["store (NeDB, its indexes, platform/store)", (f) => /@seald-io\/|\/platform\/store\//.test(f.url)],
  ["token check (jose, users.resolveToken)", (f) => /\/jose\/|\/services\/users\/domain\/tokens/.test(f.url)],
  ["authorization (platform/security)", (f) => /\/platform\/security\//.test(f.url)],
  ["metrics", (f) => /moleculer\/src\/metrics\/|\/platform\/observability\/(action|business)-metrics/.test(f.url)],
  ["logging", (f) => /moleculer\/src\/loggers\/|\/platform\/observability\/(log-format|redact)/.test(f.url)],
  ["validation", (f) => /fastest-validator|moleculer\/src\/validators\//.test(f.url)],
  ["serialization (packets)", (f) => /moleculer\/src\/serializers\//.test(f.url)],
  ["transport (NATS client, transporter)", (f) => /\/nats\/|moleculer\/src\/transporters\//.test(f.url)],
  ["cache (lru, cacher)", (f) => /lru-cache|moleculer\/src\/cachers\//.test(f.url)],
  [
    "HTTP + gateway (node:http, moleculer-web, body parsing, platform/gateway)",
    (f) =>
      /moleculer-web|body-parser|raw-body|iconv-lite|type-is|content-type|media-typer|\/platform\/gateway\/|\/services\/api\//.test(
        f.url,
      ) || /^node:_http_/.test(f.url),
  ],
  [
    "outbox relay + notifications",
    (f) => /\/services\/orders\/domain\/outbox-relay|\/services\/notifications\//.test(f.url),
  ],
  ["saga + orders service", (f) => /\/services\/orders\//.test(f.url)],
  [
    "cart, inventory, payments, catalog, users logic",
    (f) => /\/services\/(cart|inventory|payments|catalog|users)\//.test(f.url),
  ],
  ["contracts (call/emit helpers)", (f) => /\/contracts\//.test(f.url)],
  ["request context, tracing (platform/observability)", (f) => /\/platform\/observability\//.test(f.url)],
  ["Moleculer call machinery (context, middlewares, transit, registry)", (f) => /\/moleculer\/src\//.test(f.url)],
];
const OTHER = "other (timers, promise and microtask machinery, node internals)";
const NOT_WORK = new Set(["(idle)", "(program)"]);

export function breakdown(
  profile: CpuProfile,
  window?: [number, number],
): { busyUs: number; areas: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areaOfNode = new Map<number, string>();
  const areaOf = (id: number): string => {
    const known = areaOfNode.get(id);
    if (known) return known;
    let area = OTHER;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      const rule = AREAS.find(([, match]) => match(frame));
      if (rule) {
        area = rule[0];
        break;
      }
    }
    areaOfNode.set(id, area);
    return area;
  };
  const areas = new Map<string, number>();
  let busyUs = 0;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (window && (t < window[0] || t > window[1])) return;
    if (NOT_WORK.has(byId.get(id)!.callFrame.functionName)) return;
    busyUs += delta;
    const area = areaOf(id);
    areas.set(area, (areas.get(area) ?? 0) + delta);
  });
  return { busyUs, areas };
}

function load(target: string): { profiles: CpuProfile[]; window?: [number, number] } {
  if (!fs.statSync(target).isDirectory()) return { profiles: [JSON.parse(fs.readFileSync(target, "utf8"))] };
  const files = fs.readdirSync(target);
  const windowFile = path.join(target, "window.json");
  return {
    profiles: files
      .filter((f) => f.endsWith(".cpuprofile"))
      .map((f) => JSON.parse(fs.readFileSync(path.join(target, f), "utf8")) as CpuProfile),
    window: fs.existsSync(windowFile)
      ? (JSON.parse(fs.readFileSync(windowFile, "utf8")) as [number, number])
      : undefined,
  };
}

if (require.main === module) {
  const [target, requests] = process.argv.slice(2);
  if (!target) {
    console.error("usage: tsx bench/lib/cpu-breakdown.ts <dir or .cpuprofile> [requests in the window]");
    process.exit(2);
  }
  const { profiles, window } = load(target);
  for (const profile of profiles) {
    const { busyUs, areas } = breakdown(profile, window);
    const n = Number(requests ?? 0);
    console.log(`busy ${(busyUs / 1e6).toFixed(2)} s${n ? `, ${(busyUs / n).toFixed(0)} µs per request` : ""}`);
    for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1])) {
      const share = `${((us / busyUs) * 100).toFixed(1).padStart(5)}%`;
      console.log(`${share}${n ? `  ${(us / n).toFixed(0).padStart(6)} µs` : ""}  ${area}`);
    }
  }
}
