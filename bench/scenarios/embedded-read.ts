import { runLoad } from "../lib/load";
import { ROOT } from "../lib/procs";
import { builtServices, deploy } from "../lib/shop";
import { fromLoad, ns, productPath, profileFlags, readSpec, reportProfiles, withProcs } from "./common";
import type { Scenario } from "./context";

/** S1: the product read with every service in one process. */
export const s1: Scenario = {
  id: "S1",
  title: "GET /products/:id, one process (embedded)",
  needs: ["C1"],
  async run(ctx) {
    const d = await deploy({
      layout: [{ name: "embedded", services: builtServices(ROOT), nodeFlags: profileFlags(ctx, "S1", "embedded") }],
      seed: ctx.seed,
      workDir: ctx.workDir,
      logDir: ctx.logDir,
      namespace: ns("S1"),
    });
    const load = await withProcs(d.nodes, () => runLoad(readSpec(ctx, d.url, productPath(ctx)), ctx.workDir));
    reportProfiles(ctx, "S1", ["embedded"], load);
    return fromLoad("S1", this.title, load, "C1");
  },
};

/** S1-list: a page of the product list, in one process. */
export const s1List: Scenario = {
  id: "S1-list",
  title: "GET /products?pageSize=20, one process (embedded)",
  needs: ["C1", "S1"],
  async run(ctx) {
    const d = await deploy({
      layout: [{ name: "embedded-list", services: builtServices(ROOT) }],
      seed: ctx.seed,
      workDir: ctx.workDir,
      logDir: ctx.logDir,
      namespace: ns("S1-list"),
    });
    const load = await withProcs(d.nodes, () =>
      runLoad(readSpec(ctx, d.url, "/api/v1/products?pageSize=20"), ctx.workDir),
    );
    return fromLoad("S1-list", this.title, load, "C1");
  },
};
