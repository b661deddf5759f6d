import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { demoProducts } from "../../services/catalog/demo-products";
import { get, request } from "../helpers/http";
import { replCommand } from "../helpers/repl";
import {
  eventually,
  startAgoraNode,
  startMongo,
  startNats,
  startProcess,
  stopAll,
  type AgoraNode,
  type Proc,
} from "../helpers/processes";

/**
 * docs/scale-out.md's cluster walkthrough with the settings it exports: four
 * nodes over nats-server sharing a MongoDB-wire store, and the REPL-only node
 * started from the same shell. A new user seeds stock, buys, signs in as the
 * admin the walkthrough creates and opens /status; the REPL and the nodes
 * agree on heartbeats, so none sees the other leave while it is there, and a
 * killed node goes OFFLINE in the REPL after the walkthrough's HEARTBEAT_TIMEOUT.
 */
const ROOT = path.resolve(__dirname, "../..");
const DOC = path.join(ROOT, "docs/scale-out.md");

/** The variables the walkthrough's `export` sets, evaluated by bash as a reader's shell would. */
function walkthroughEnv(): Record<string, string> {
  const doc = fs.readFileSync(DOC, "utf8");
  const block = doc.slice(doc.indexOf("<!-- walkthrough:cluster"));
  const exportLine = /^export [\s\S]*?[^\\]\n/m.exec(block)?.[0];
  if (!exportLine) throw new Error("docs/scale-out.md: no export line after the walkthrough:cluster marker");
  const names = [...exportLine.matchAll(/\b([A-Z_]+)=/g)].map((match) => match[1]);
  const printed = execFileSync("bash", ["-c", `${exportLine}\nenv -0`], { encoding: "utf8" });
  const all = Object.fromEntries(
    printed.split("\0").map((line) => [line.split("=")[0], line.slice(line.indexOf("=") + 1)]),
  );
  return Object.fromEntries(names.map((name) => [name, all[name]]));
}

describe("the cluster walkthrough (docs/scale-out.md)", () => {
  const env = walkthroughEnv();
  let nodes: AgoraNode[];
  let repl: Proc;

  const command = (line: string, until?: RegExp) => replCommand(repl, line, until);

  beforeAll(async () => {
    const [nats, mongo] = await Promise.all([startNats(), startMongo()]);
    // The walkthrough's own settings; only the addresses are this test's.
    const shell = { ...env, TRANSPORTER: nats.url, MONGO_URI: mongo.uri, NAMESPACE: `walk${process.pid}` };
    const start = (services: string[], nodeID: string) =>
      startAgoraNode({ services, nodeID, transporter: nats.url, env: shell });
    nodes = await Promise.all([
      start(["api"], "walk-api"),
      start(["catalog"], "walk-catalog"),
      start(["users", "cart", "inventory", "notifications"], "walk-users"),
      start(["orders", "payments"], "walk-orders"),
    ]);
    repl = startProcess(
      process.execPath,
      ["--import", "tsx", "scripts/repl.ts"],
      { ...shell, NODE_ID: "walk-repl", JEST_WORKER_ID: "" },
      ROOT,
      { stdin: true },
    );
    await repl.waitFor(/mol \$ /, 60_000);
  }, 180_000);

  afterAll(async () => {
    await stopAll();
  });

  it("exports the settings every process shares, an admin included", () => {
    expect(env.HEARTBEAT_INTERVAL).toBeDefined();
    expect(env.HEARTBEAT_TIMEOUT).toBeDefined();
    expect(env.ADMIN_EMAIL).toMatch(/@/);
    expect(env.JWT_SECRET).toMatch(/^[0-9a-f]{64}$/);
  });

  it("nodes: the REPL sees the four nodes", async () => {
    await eventually(async () => {
      const printed = await command("nodes");
      return nodes.every((node) => printed.includes(node.nodeID)) && printed;
    });
  });

  it("seed stocks the demo catalog and checkout-demo buys from it", async () => {
    expect(await command("seed", /Seeded[^\n]*\n[\s\S]*mol \$ /)).toContain(
      `Seeded ${demoProducts.length} demo products`,
    );
    expect(await command("checkout-demo", /Order [^\n]*\n[\s\S]*mol \$ /)).toMatch(/Order \S+: CONFIRMED/);
  });

  it("the walkthrough's admin signs in and opens /status, which lists every node and the REPL", async () => {
    const api = nodes[0];
    const login = await request<{ token: string }>(api.url, "POST", "/api/v1/auth/login", {
      body: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD },
    });
    expect(login.status).toBe(200);
    // A node learns of another from its INFO, or, should it have missed that, from its next heartbeat
    // (HEARTBEAT_INTERVAL): the REPL is listed within a few intervals at most.
    const ids = await eventually(async () => {
      const status = await get<{ nodes: { nodeID: string }[] }>(api.url, "/status.json", { token: login.body.token });
      expect(status.status).toBe(200);
      const ids = status.body.nodes.map((node) => node.nodeID);
      return ids.includes("walk-repl") && ids;
    }, 10_000);
    for (const node of nodes) expect(ids).toContain(node.nodeID);
    expect(ids).toContain("walk-repl");
  });

  it("a killed node goes OFFLINE in the REPL, and no node ever saw the REPL leave", async () => {
    const catalog = nodes[1];
    await catalog.kill();
    // Dropped after HEARTBEAT_TIMEOUT (4 s) by a REPL with the nodes' settings; one
    // with the defaults (30 s) would still list it ONLINE when this gives up.
    await eventually(async () => /walk-catalog[^\n]*OFFLINE/.test(await command("nodes --all")), 20_000, 500);
    for (const node of nodes) expect(node.output()).not.toMatch(/Node 'walk-repl' disconnected/);
    // The bound under test is the 20 s above; each REPL command may itself wait up to 15 s for its prompt on a
    // loaded machine, so jest's 60 s default could end the test before that bound does.
  }, 120_000);
});
