import { gzipSync } from "node:zlib";
import { runLoad } from "../lib/load";
import { ROOT } from "../lib/procs";
import type { ScenarioResult } from "../lib/report";
import { builtServices, deploy, json, registerUsers } from "../lib/shop";
import { ns } from "./common";
import type { BenchContext, Scenario } from "./context";

/**
 * W1: the storefront's budgets. At rest, each page's server time (median of
 * sequential requests), HTML size and the JavaScript the site ships (all of
 * it, gzipped); then the catalog page (`GET /`, HTML rendered from
 * catalog.list) under the same load as the API read scenarios.
 */
const SAMPLES = 25;
const JS_BUDGET_KB = 50;
const HTML_BUDGET_KB = 30;

interface PageStat {
  ms: number;
  htmlKb: number;
}

async function measure(url: string, cookie?: string): Promise<PageStat> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: "manual" });
    const body = await res.text();
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    bytes = Buffer.byteLength(body);
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round(times[Math.floor(times.length / 2)] * 10) / 10, htmlKb: Math.round(bytes / 102.4) / 10 };
}

async function storefrontBudgets(ctx: BenchContext, id: string, title: string): Promise<ScenarioResult> {
  const d = await deploy({
    // The API scenarios run without the storefront (ALL_SERVICES); this one adds it.
    layout: [{ name: "embedded", services: [...builtServices(ROOT), "web"] }],
    seed: ctx.seed,
    workDir: ctx.workDir,
    logDir: ctx.logDir,
    namespace: ns(id),
  });
  try {
    const [token] = await registerUsers(d.url, 1, `${id}-${process.pid}`);
    const cookie = `agora_session=${token}`;
    const product = ctx.seed.productIds[0];
    await json(`${d.url}/api/v1/cart/items/${product}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ quantity: 1 }),
    });
    const pages: Record<string, [string, string?]> = {
      "/": [`${d.url}/`],
      "/?q=…&sort=…": [`${d.url}/?q=mug&sort=-priceCents`],
      "/products/:id": [`${d.url}/products/${product}`],
      "/cart": [`${d.url}/cart`, cookie],
      "/checkout": [`${d.url}/checkout`, cookie],
      "/orders": [`${d.url}/orders`, cookie],
      "/login": [`${d.url}/login`],
    };
    const stats: Record<string, PageStat> = {};
    for (const [name, [url, c]] of Object.entries(pages)) stats[name] = await measure(url, c);

    const home = await (await fetch(`${d.url}/`)).text();
    const scripts = [...home.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    let jsGz = 0;
    for (const src of scripts) jsGz += gzipSync(Buffer.from(await (await fetch(d.url + src)).text())).length;
    const jsKb = Math.round(jsGz / 102.4) / 10;

    const load = await runLoad(
      {
        url: d.url,
        connections: ctx.opts.connections,
        durationSec: ctx.opts.durationSec,
        warmupSec: ctx.opts.warmupSec,
        sequence: [{ route: "catalog page", method: "GET", path: "/" }],
      },
      ctx.workDir,
    );
    const worstHtml = Math.max(...Object.values(stats).map((s) => s.htmlKb));
    const perPage = Object.entries(stats)
      .map(([name, s]) => `${name} ${s.ms} ms, ${s.htmlKb} KB`)
      .join("; ");
    return {
      id,
      title,
      reqPerSec: load.reqPerSec,
      p50Ms: load.p50Ms,
      p99Ms: load.p99Ms,
      p999Ms: load.p999Ms,
      errors: load.errors + load.timeouts,
      non2xx: load.non2xx,
      ceiling: "C1",
      ratioToCeiling: null,
      connections: load.connections,
      routes: load.routes,
      target: {
        text: `JS ≤ ${JS_BUDGET_KB} KB gzipped (${jsKb} KB), every page's HTML ≤ ${HTML_BUDGET_KB} KB (largest ${worstHtml} KB)`,
        met: jsKb <= JS_BUDGET_KB && worstHtml <= HTML_BUDGET_KB,
      },
      note: `At rest, median of ${SAMPLES} sequential requests per page: ${perPage}.`,
    };
  } finally {
    await Promise.all(d.nodes.map((n) => n.stop()));
  }
}

export const w1: Scenario = {
  id: "W1",
  title: "storefront: page budgets at rest; GET / (catalog page HTML) under load, one process",
  needs: ["C1"],
  async run(ctx) {
    return storefrontBudgets(ctx, "W1", this.title);
  },
};
