import path from "node:path";
import {
  freePort,
  startAgoraNode,
  startNats,
  startProcess,
  stopAll,
  type NatsServer,
  type Proc,
  eventually,
} from "../helpers/processes";
import { FAST_HEARTBEAT } from "./cluster";
import { testNatsPasswords } from "../helpers/nats-roles";
import { replCommand } from "../helpers/repl";

/**
 * `npm run repl` (scripts/repl.ts) joins a running cluster and drives it:
 * a gateway and two catalog nodes over a nats-server that runs our own
 * docker/nats.conf, so authentication is on, with one NATS user per node role,
 * and each node's credentials travel through NATS_USER / NATS_PASSWORD exactly
 * as in compose and Kubernetes (the REPL, an operator's console, joins as api).
 */
const ROOT = path.resolve(__dirname, "../..");

describe("npm run repl against a running cluster", () => {
  // nats.conf opens the agora namespace's subjects only.
  const namespace = "agora";
  const serverPasswords = testNatsPasswords();
  const role = (name: string) => ({ NATS_USER: name, NATS_PASSWORD: `${name}-pw` });
  let nats: NatsServer;
  let monitorPort: number;
  let repl: Proc;

  /** Sends one command and returns what it printed up to the next prompt. */
  const command = (line: string) => replCommand(repl, line, undefined, 15_000);

  beforeAll(async () => {
    monitorPort = await freePort();
    nats = await startNats(["-c", "docker/nats.conf", "-m", String(monitorPort)], undefined, serverPasswords);
    const env = { ...FAST_HEARTBEAT, NAMESPACE: namespace };
    await Promise.all([
      startAgoraNode({
        services: ["api"],
        nodeID: "repl-gateway",
        transporter: nats.url,
        env: { ...env, ...role("api") },
      }),
      ...[1, 2].map((n) =>
        startAgoraNode({
          services: ["catalog"],
          nodeID: `repl-catalog-${n}`,
          transporter: nats.url,
          env: { ...env, ...role("catalog") },
        }),
      ),
    ]);
    repl = startProcess(
      process.execPath,
      ["--import", "tsx", "scripts/repl.ts"],
      {
        ...env,
        ...role("api"),
        TRANSPORTER: nats.url,
        NODE_ID: "repl-console",
        NODE_ENV: "production",
        JEST_WORKER_ID: "",
      },
      ROOT,
      { stdin: true },
    );
    await repl.waitFor(/mol \$ /, 60_000);
  }, 120_000);

  afterAll(async () => {
    await stopAll();
  });

  it("each node authenticated as its role's NATS user, each connection named by its node ID", async () => {
    const connz = (await (await fetch(`http://127.0.0.1:${monitorPort}/connz?auth=true`)).json()) as {
      connections: { name?: string; authorized_user?: string }[];
    };
    const users = Object.fromEntries(connz.connections.map((c) => [c.name, c.authorized_user]));
    expect(users).toEqual({
      "repl-gateway": "api",
      "repl-catalog-1": "catalog",
      "repl-catalog-2": "catalog",
      "repl-console": "api",
    });
  });

  it("a role's user name with another role's password is refused", async () => {
    const { connect } = await import("nats");
    await expect(connect({ servers: nats.url, user: "catalog", pass: "api-pw", reconnect: false })).rejects.toThrow(
      /Authorization/i,
    );
  });

  it("nodes: lists every node of the cluster and itself", async () => {
    const out = await eventually(async () => {
      const printed = await command("nodes");
      return ["repl-gateway", "repl-catalog-1", "repl-catalog-2"].every((id) => printed.includes(id)) && printed;
    });
    expect(out).toMatch(/repl-console \(\*\)/);
    expect(out).toMatch(/ONLINE/);
  });

  it("services and actions: shows the remote services and their actions", async () => {
    const services = await command("services");
    expect(services).toMatch(/catalog\s*│.*│\s*OK\s*│/);
    expect(services).toMatch(/\bapi\b/);
    const actions = await command("actions");
    expect(actions).toMatch(/catalog\.list\s*│\s*2\s*│\s*OK/);
    expect(actions).toMatch(/catalog\.get/);
  });

  it("call catalog.list --pageSize 2: runs on a remote catalog node and prints the page", async () => {
    const out = await command("call catalog.list --pageSize 2");
    expect(out).toContain(">> Call 'catalog.list' with params: { pageSize: 2 }");
    expect(out).toContain(">> Response:");
    expect(out).toMatch(/pageSize: 2,/);
    expect(out.match(/sku: '/g)).toHaveLength(2);
  });

  it("dcall <nodeID> catalog.list: runs on the named node", async () => {
    const out = await command("dcall repl-catalog-2 catalog.list --pageSize 1");
    expect(out).toContain(">> Call 'catalog.list' on repl-catalog-2 with params: { pageSize: 1 }");
    expect(out).toMatch(/pageSize: 1,/);
    expect(out.match(/sku: '/g)).toHaveLength(1);
    const missing = await command("dcall no-such-node catalog.list");
    expect(missing).toMatch(/ServiceNotAvailableError|not available/i);
  });

  it("an admin action called without --#$system: the refusal and a one-line hint, no stack trace", async () => {
    const out = await command(
      'call catalog.create --sku REPL-1 --name "Lamp" --priceCents 100 --currency EUR --category x',
    );
    expect(out).toContain(
      "Authentication required. catalog.create is for admins or the system. From the REPL, say who acts: " +
        "call catalog.create ... --#$system <your name> (docs/repl.md)",
    );
    expect(out).not.toMatch(/^\s+at /m);
    // As the hint says, it works.
    const done = await command(
      'call catalog.create --sku REPL-1 --name "Lamp" --priceCents 100 --currency EUR --category x --#$system test',
    );
    expect(done).toContain("REPL-1");
  });

  it("quits on end of input and leaves the cluster", async () => {
    repl.child.stdin!.end();
    expect(await repl.exited).toBe(0);
    await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${monitorPort}/connz`);
      const { connections } = (await res.json()) as { connections: { name?: string }[] };
      return !connections.some((c) => c.name === "repl-console");
    }, 10_000);
  });
});
