import path from "node:path";
import { runLoad } from "../lib/load";
import { freePort, ROOT, spawnNode } from "../lib/procs";
import { bodyFile, fromLoad, productPath, readSpec, withProcs } from "./common";
import type { Scenario } from "./context";

/** C1: what a bare node:http server reaches with the product read's body; the in-process scenarios' ceiling. */
export const c1: Scenario = {
  id: "C1",
  title: "ceiling: bare node:http, same JSON body",
  async run(ctx) {
    const port = await freePort();
    const server = spawnNode(path.join(ROOT, "bench/ceilings/c1-http.ts"), [bodyFile(ctx)], {
      name: "c1",
      logDir: ctx.logDir,
      env: { PORT: String(port) },
    });
    await server.waitForLog(/ready/);
    const load = await withProcs([server], () =>
      runLoad(readSpec(ctx, `http://127.0.0.1:${port}`, productPath(ctx)), ctx.workDir),
    );
    return fromLoad("C1", this.title, load, null);
  },
};

/** C2: the same body behind one raw NATS request/reply hop; the ceiling of the scenarios over NATS. */
export const c2: Scenario = {
  id: "C2",
  requires: ["nats-server"],
  title: "ceiling: node:http front → raw NATS request/reply → responder process",
  async run(ctx) {
    const port = await freePort();
    const responder = spawnNode(path.join(ROOT, "bench/ceilings/c2-responder.ts"), [ctx.natsUrl, bodyFile(ctx)], {
      name: "c2-responder",
      logDir: ctx.logDir,
    });
    const front = spawnNode(path.join(ROOT, "bench/ceilings/c2-front.ts"), [ctx.natsUrl], {
      name: "c2-front",
      logDir: ctx.logDir,
      env: { PORT: String(port) },
    });
    return withProcs([front, responder], async () => {
      await Promise.all([responder.waitForLog(/ready/), front.waitForLog(/ready/)]);
      const load = await runLoad(readSpec(ctx, `http://127.0.0.1:${port}`, productPath(ctx)), ctx.workDir);
      return fromLoad("C2", this.title, load, null);
    });
  },
};
