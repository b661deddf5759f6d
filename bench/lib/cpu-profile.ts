import fs from "node:fs";
import path from "node:path";

/**
 * Summarizes V8 .cpuprofile files (node --cpu-prof): self time per function
 * and per package, so a profile can be read in a terminal and quoted in
 * bench/README.md. `npx tsx bench/lib/cpu-profile.ts <dir or file> [top]`.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, node's internals, the app, or V8 itself. */
export function owner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const app = /\/dist\/(.+)$/.exec(url) ?? /\/work\/[^/]+\/(.+)$/.exec(url);
  return app ? `app:${app[1].split("/").slice(0, 2).join("/")}` : url;
}

const NOT_WORK = new Set(["(idle)", "(program)"]);

/**
 * Self time per function and per package. With a window (µs, monotonic
 * clock), only samples taken while the load ran count; percentages are of
 * the time the process was busy (idle excluded), and the busy share is shown.
 */
export function summarize(profile: CpuProfile, top = 25, window?: [number, number]): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  let all = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (window && (t < window[0] || t > window[1])) return;
    all += delta;
    if (NOT_WORK.has(byId.get(id)!.callFrame.functionName)) {
      idle += delta;
      return;
    }
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const fns = new Map<string, number>();
  const owners = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const file = url ? url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(dist|work\/[^/]+)\//, "") : "";
    const fn = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    const o = owner(url, functionName);
    owners.set(o, (owners.get(o) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${pct(us)}  ${k}`);
  return [
    `${window ? "during the measured load" : "whole process"}: ${(all / 1e6).toFixed(1)} s sampled, ` +
      `busy ${(((all - idle) / (all || 1)) * 100).toFixed(0)}%; shares below are of the busy time`,
    "",
    "self time by package / area:",
    ...rows(owners),
    "",
    "self time by function:",
    ...rows(fns),
    "",
  ].join("\n");
}

/** Summarizes every .cpuprofile in a directory (or one file). */
export function summarizeProfiles(target: string, top = 25, window?: [number, number]): string {
  const files = fs.statSync(target).isDirectory()
    ? fs
        .readdirSync(target)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => path.join(target, f))
    : [target];
  return files.map((f) => summarize(JSON.parse(fs.readFileSync(f, "utf8")) as CpuProfile, top, window)).join("\n");
}

if (require.main === module) {
  const [target, top] = process.argv.slice(2);
  if (!target) {
    console.error("usage: tsx bench/lib/cpu-profile.ts <dir or .cpuprofile> [top]");
    process.exit(2);
  }
  console.log(summarizeProfiles(target, Number(top ?? 25)));
}
