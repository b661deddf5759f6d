import fs from "node:fs";
import path from "node:path";
import { summarizeProfiles } from "../lib/cpu-profile";
import type { LoadResult, LoadSpec } from "../lib/load-spec";
import { rssMb, ROOT, type BenchProc } from "../lib/procs";
import type { ScenarioResult } from "../lib/report";
import type { BenchContext } from "./context";

/** A namespace of the scenario's own, so no two deployments of a run discover each other. */
export const ns = (id: string) => `bench-${id.toLowerCase()}-${process.pid}`;

export function fromLoad(
  id: string,
  title: string,
  load: LoadResult,
  ceiling: string | null,
  note?: string,
): ScenarioResult {
  return {
    id,
    title,
    reqPerSec: load.reqPerSec,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    p999Ms: load.p999Ms,
    errors: load.errors + load.timeouts,
    non2xx: load.non2xx,
    ceiling,
    ratioToCeiling: null,
    connections: load.connections,
    routes: load.routes,
    note,
  };
}

export function skipped(id: string, title: string, reason: string): ScenarioResult {
  return {
    id,
    title,
    reqPerSec: null,
    p50Ms: null,
    p99Ms: null,
    p999Ms: null,
    errors: null,
    non2xx: null,
    ceiling: null,
    ratioToCeiling: null,
    skipped: reason,
  };
}

export function readSpec(ctx: BenchContext, url: string, pathname: string): LoadSpec {
  return {
    url,
    connections: ctx.opts.connections,
    durationSec: ctx.opts.durationSec,
    warmupSec: ctx.opts.warmupSec,
    sequence: [{ route: "get", method: "GET", path: pathname }],
  };
}

export const productPath = (ctx: BenchContext) => `/api/v1/products/${ctx.seed.productIds[0]}`;

/** The product body the ceilings answer with, as a file their processes read. */
export function bodyFile(ctx: BenchContext): string {
  const file = path.join(ctx.workDir, "product-body.json");
  fs.writeFileSync(file, JSON.stringify(ctx.seed.productBody));
  return file;
}

export function profileFlags(ctx: BenchContext, scenario: string, node: string): string[] {
  if (!ctx.opts.profile) return [];
  return ["--cpu-prof", `--cpu-prof-dir=${path.join(ctx.workDir, "profiles", `${scenario}-${node}`)}`];
}

/** After the nodes stopped (profiles are written on exit): top frames per process, printed and kept. */
export function reportProfiles(ctx: BenchContext, scenario: string, nodes: string[], load: LoadResult): void {
  if (!ctx.opts.profile) return;
  for (const node of nodes) {
    const dir = path.join(ctx.workDir, "profiles", `${scenario}-${node}`);
    if (!fs.existsSync(dir)) continue;
    // Kept with --keep: bench/lib/cpu-breakdown.ts cuts the raw profile to the same window.
    fs.writeFileSync(path.join(dir, "window.json"), JSON.stringify(load.windowUs));
    const text = summarizeProfiles(dir, 30, load.windowUs);
    const file = path.join(ctx.resultsDir, `profile-${scenario}-${node}.txt`);
    fs.writeFileSync(file, text);
    console.log(`\n${scenario} ${node}: CPU profile (${path.relative(ROOT, file)})\n${text}`);
  }
}

export async function withProcs<T>(procs: BenchProc[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
}

export function rssOf(nodes: BenchProc[]): Record<string, number | null> {
  return Object.fromEntries(nodes.map((n) => [n.name, rssMb(n.pid)]));
}
