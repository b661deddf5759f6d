import { runLoad } from "../lib/load";
import type { LoadResult, LoadSpec, Step } from "../lib/load-spec";
import { ROOT } from "../lib/procs";
import type { ScenarioResult } from "../lib/report";
import {
  APPROVED_CARD,
  builtServices,
  deploy,
  probeCheckout,
  registerUsers,
  type Deployment,
  type NodeLayout,
} from "../lib/shop";
import { fromLoad, ns, profileFlags, reportProfiles, rssOf, skipped, withProcs } from "./common";
import type { BenchContext, Scenario } from "./context";
import { generatorAlone } from "./generator";

export const checkoutSteps: Step[] = [
  { route: "cart.set", method: "PUT", path: "/api/v1/cart/items/{productId}", body: { quantity: 1 }, auth: true },
  {
    route: "checkout",
    method: "POST",
    path: "/api/v1/orders",
    body: { payment: APPROVED_CARD },
    auth: true,
    idempotencyKey: true,
  },
];

const CHECKOUT_SERVICES = ["api", "catalog", "inventory", "users", "cart", "orders", "payments"];

export function checkoutMissing(): string | null {
  const built = builtServices(ROOT);
  const missing = CHECKOUT_SERVICES.filter((s) => !built.includes(s));
  return missing.length ? `the checkout needs ${missing.join(", ")}, not in this build` : null;
}

/** One node per service, as the shop is deployed over NATS. */
export function perServiceLayout(ctx: BenchContext, scenario: string): NodeLayout[] {
  const built = builtServices(ROOT);
  // Catalog and inventory share a node: every product read asks inventory for availability.
  const groups = [
    ["api"],
    ["catalog", "inventory"],
    ...built.filter((s) => !["api", "catalog", "inventory"].includes(s)).map((s) => [s]),
  ];
  return groups.map((services) => {
    const name = services.join("+");
    return {
      name,
      services,
      nodeFlags: profileFlags(ctx, scenario, name),
    };
  });
}

/** Users registered up front, one connection each, looping over steps; one checkout by hand first. */
export async function checkoutLoad(
  ctx: BenchContext,
  d: Deployment,
  tag: string,
  steps: Step[],
): Promise<{ load: LoadResult; spec: LoadSpec }> {
  const tokens = await registerUsers(d.url, ctx.opts.users, `${tag}-${process.pid}`);
  const ids = ctx.seed.productIds;
  await probeCheckout(d.url, tokens[0], ids[0]);
  const spec: LoadSpec = {
    url: d.url,
    connections: tokens.length,
    durationSec: ctx.opts.durationSec,
    warmupSec: ctx.opts.warmupSec,
    sequence: steps,
    users: tokens.map((token, i) => ({
      token,
      vars: {
        productId: ids[i % ids.length],
        p0: ids[i % ids.length],
        p1: ids[(i + 1) % ids.length],
        p2: ids[(i + 2) % ids.length],
      },
    })),
  };
  return { load: await runLoad(spec, ctx.workDir), spec };
}

function checkoutResult(id: string, title: string, load: LoadResult, ceiling: string): ScenarioResult {
  const checkout = load.routes.checkout;
  return {
    ...fromLoad(id, title, load, ceiling),
    // A checkout is the POST /orders; its cart PUT runs in the same loop and shares the connection.
    reqPerSec: checkout.reqPerSec,
    p50Ms: checkout.p50Ms,
    p99Ms: checkout.p99Ms,
    p999Ms: checkout.p999Ms,
    note: `req/s and latency are those of POST /orders (confirmed checkouts/s: ${
      Math.round(((checkout.statuses["201"] ?? 0) / load.durationSec) * 10) / 10
    }); each user's loop also sets its cart (PUT /cart/items) before every checkout, because a confirmed order empties it.`,
  };
}

/** S4-embedded: checkout with every service in one process. */
export const s4Embedded: Scenario = {
  id: "S4-embedded",
  title: "checkout (cart PUT + POST /orders per user), one process",
  needs: ["C1"],
  async run(ctx) {
    const missing = checkoutMissing();
    if (missing) return skipped("S4-embedded", this.title, missing);
    const d = await deploy({
      layout: [{ name: "embedded-s4", services: builtServices(ROOT), nodeFlags: profileFlags(ctx, "S4", "embedded") }],
      seed: ctx.seed,
      workDir: ctx.workDir,
      logDir: ctx.logDir,
      namespace: ns("S4e"),
    });
    const { load, spec } = await withProcs(d.nodes, () => checkoutLoad(ctx, d, "s4e", checkoutSteps));
    reportProfiles(ctx, "S4", ["embedded"], load);
    return {
      ...checkoutResult("S4-embedded", this.title, load, "C1"),
      generatorReqPerSec: await generatorAlone(ctx, spec),
    };
  },
};

/** S4-nats: checkout with one node per service over NATS; RSS of each node after the load. */
export const s4Nats: Scenario = {
  id: "S4-nats",
  requires: ["nats-server"],
  title: "checkout, one node per service over NATS",
  needs: ["C2"],
  async run(ctx) {
    const missing = checkoutMissing();
    if (missing) return skipped("S4-nats", this.title, missing);
    const d = await deploy({
      layout: perServiceLayout(ctx, "S4n"),
      seed: ctx.seed,
      workDir: ctx.workDir,
      logDir: ctx.logDir,
      namespace: ns("S4n"),
      transporter: ctx.natsUrl,
    });
    let rss: Record<string, number | null> = {};
    const { load, spec } = await withProcs(d.nodes, async () => {
      const result = await checkoutLoad(ctx, d, "s4n", checkoutSteps);
      rss = rssOf(d.nodes);
      return result;
    });
    reportProfiles(
      ctx,
      "S4n",
      d.nodes.map((n) => n.name),
      load,
    );
    const res = checkoutResult("S4-nats", this.title, load, "C2");
    return { ...res, rssMb: rss, generatorReqPerSec: await generatorAlone(ctx, spec) };
  },
};
