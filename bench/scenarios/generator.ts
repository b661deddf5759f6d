import path from "node:path";
import { runLoad } from "../lib/load";
import type { LoadSpec } from "../lib/load-spec";
import { freePort, ROOT, spawnNode } from "../lib/procs";
import { bodyFile, withProcs } from "./common";
import type { BenchContext } from "./context";

const generatorChecks = new Map<string, number>();

/**
 * What wrk reaches with exactly this spec's settings (threads, connections,
 * Lua script, users and bodies) against C1's bare server, which answers any
 * request with the product body: shown beside each scenario, so the table
 * says in the same run that the generator is not the limit. Read scenarios use
 * C1's own settings, so C1 is their check; the others get a run of their own,
 * once per distinct setting.
 */
export async function generatorAlone(ctx: BenchContext, spec: LoadSpec): Promise<number> {
  const key = JSON.stringify({ c: spec.connections, users: spec.users?.length ?? 0, seq: spec.sequence });
  const known = generatorChecks.get(key);
  if (known !== undefined) return known;
  const port = await freePort();
  const server = spawnNode(path.join(ROOT, "bench/ceilings/c1-http.ts"), [bodyFile(ctx)], {
    name: "c1-generator-check",
    logDir: ctx.logDir,
    env: { PORT: String(port) },
  });
  await server.waitForLog(/ready/);
  const load = await withProcs([server], () =>
    runLoad({ ...spec, url: `http://127.0.0.1:${port}`, warmupSec: 0 }, ctx.workDir),
  );
  generatorChecks.set(key, load.reqPerSec);
  return load.reqPerSec;
}
