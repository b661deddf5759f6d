import { runLoad } from "../lib/load";
import type { LoadSpec } from "../lib/load-spec";
import type { ScenarioResult } from "../lib/report";
import { deploy, json } from "../lib/shop";
import { fromLoad, ns, withProcs } from "./common";
import type { BenchContext, Scenario } from "./context";
import { generatorAlone } from "./generator";

async function login(ctx: BenchContext, id: string, title: string, cores: string[]): Promise<ScenarioResult> {
  const admin = { email: "bench-admin@example.com", password: "bench-admin-password" };
  const d = await deploy({
    layout: [
      { name: `api-${id}`, services: ["api"] },
      // ADMIN_EMAIL makes every users node create the same account at start, so a
      // login succeeds on whichever node the gateway balances it to.
      ...cores.map((cpu) => ({
        name: `users-${id}-cpu${cpu}`,
        services: ["users"],
        cpus: cpu,
        env: { UV_THREADPOOL_SIZE: "1", ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password },
      })),
    ],
    seed: ctx.seed,
    workDir: ctx.workDir,
    logDir: ctx.logDir,
    namespace: ns(id),
    transporter: ctx.natsUrl,
    probe: async (url) =>
      (await json(`${url}/api/v1/auth/login`, { method: "POST", body: JSON.stringify(admin) })).status === 200,
  });
  const spec: LoadSpec = {
    url: d.url,
    connections: 8,
    durationSec: ctx.opts.durationSec,
    warmupSec: ctx.opts.warmupSec,
    sequence: [{ route: "login", method: "POST", path: "/api/v1/auth/login", body: admin }],
  };
  const load = await withProcs(d.nodes, () => runLoad(spec, ctx.workDir));
  return {
    ...fromLoad(
      id,
      title,
      load,
      id === "S5-2" ? "S5-1" : null,
      `users nodes pinned with taskset -c ${cores.join(",")}, UV_THREADPOOL_SIZE=1.`,
    ),
    generatorReqPerSec: await generatorAlone(ctx, spec),
  };
}

/** S5-1: password login (argon2id) against one users node pinned to one core. */
export const s5One: Scenario = {
  id: "S5-1",
  requires: ["nats-server", "taskset"],
  title: "POST /auth/login (argon2id), one users node on one core",
  async run(ctx) {
    return login(ctx, "S5-1", this.title, ["1"]);
  },
};

/** S5-2: the same with two users nodes, a core each: how login scales out. */
export const s5Two: Scenario = {
  id: "S5-2",
  requires: ["nats-server", "taskset"],
  title: "POST /auth/login, two users nodes, one core each",
  needs: ["S5-1"],
  async run(ctx) {
    return login(ctx, "S5-2", this.title, ["0", "1"]);
  },
};
