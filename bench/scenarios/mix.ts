import type { Step } from "../lib/load-spec";
import { APPROVED_CARD, deploy } from "../lib/shop";
import { checkoutLoad, checkoutMissing, perServiceLayout } from "./checkout";
import { fromLoad, ns, skipped, withProcs } from "./common";
import type { Scenario } from "./context";
import { generatorAlone } from "./generator";

/** Online Boutique-like browsing: list 10 : get 3 : cart 2 : checkout 1, per user, in this order. */
const mixSteps: Step[] = (() => {
  const list = (page: number, sort: string): Step => ({
    route: "list",
    method: "GET",
    path: `/api/v1/products?page=${page}&pageSize=10&sort=${sort}`,
  });
  const get = (v: string): Step => ({ route: "get", method: "GET", path: `/api/v1/products/{${v}}` });
  return [
    list(1, "name"),
    get("p0"),
    list(2, "name"),
    list(1, "-priceCents"),
    { route: "cart", method: "PUT", path: "/api/v1/cart/items/{p0}", body: { quantity: 1 }, auth: true },
    list(1, "priceCents"),
    get("p1"),
    list(3, "name"),
    list(1, "name"),
    list(2, "-priceCents"),
    { route: "cart", method: "GET", path: "/api/v1/cart", auth: true },
    list(1, "createdAt"),
    get("p2"),
    list(2, "name"),
    list(1, "-createdAt"),
    {
      route: "checkout",
      method: "POST",
      path: "/api/v1/orders",
      body: { payment: APPROVED_CARD },
      auth: true,
      idempotencyKey: true,
    },
  ];
})();

/** S7: the shop mix per user over NATS, one node per service; latencies per route. */
export const s7: Scenario = {
  id: "S7",
  requires: ["nats-server"],
  title: "shop mix (list 10 : get 3 : cart 2 : checkout 1) over NATS",
  needs: ["C2"],
  async run(ctx) {
    const missing = checkoutMissing();
    if (missing) return skipped("S7", this.title, missing);
    const d = await deploy({
      layout: perServiceLayout(ctx, "S7"),
      seed: ctx.seed,
      workDir: ctx.workDir,
      logDir: ctx.logDir,
      namespace: ns("S7"),
      transporter: ctx.natsUrl,
    });
    const { load, spec } = await withProcs(d.nodes, () => checkoutLoad(ctx, d, "s7", mixSteps));
    return {
      ...fromLoad("S7", this.title, load, "C2", "Per-route latencies below; req/s counts every request of the mix."),
      generatorReqPerSec: await generatorAlone(ctx, spec),
    };
  },
};
