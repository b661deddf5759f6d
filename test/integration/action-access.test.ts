import path from "node:path";
import { ServiceBroker } from "moleculer";
import { call, type Caller, type Product } from "../../contracts";
import { asSystem } from "../../platform/security/system-caller";
import { startNode, type TestNode } from "../helpers/node";
import { eventually, startAgoraNode, startNats, stopAll, type AgoraNode, type NatsServer } from "../helpers/processes";

/**
 * One trust boundary: each action's declared access is enforced on the node
 * that runs it, not only by the gateway. A direct call of an admin or internal
 * action without a caller is refused, in-process and over NATS from another
 * node; the platform acting as itself (meta.$system) passes and leaves an
 * AUDIT line.
 */

const product = { sku: "ACL-001", name: "Access Lamp", priceCents: 1000, currency: "EUR", category: "home" };
const customer: Caller = { id: "0123456789abcdef01234567", email: "c@example.com", role: "customer" };
const admin: Caller = { id: "0123456789abcdef01234568", email: "a@example.com", role: "admin" };

describe("on the node that runs the action", () => {
  let node: TestNode;
  const logged: string[] = [];

  beforeAll(async () => {
    node = await startNode(
      ["catalog", "inventory"],
      {
        logger: {
          type: "Console",
          options: { level: "info", formatter: (_type: string, args: unknown[]) => [args.map(String).join(" ")] },
        },
      },
      { systemCalls: false },
    );
    for (const level of ["log", "info"] as const) {
      jest.spyOn(console, level).mockImplementation((...args) => void logged.push(args.join(" ")));
    }
  });
  afterAll(async () => {
    await node?.stop();
    jest.restoreAllMocks();
  });

  it("an admin action called without a caller is refused (401), by a customer 403", async () => {
    const before = (await call(node.broker, "catalog.list", {})).total;
    await expect(call(node.broker, "catalog.create", product)).rejects.toMatchObject({ code: 401 });
    await expect(call(node.broker, "catalog.create", product, { meta: { user: customer } })).rejects.toMatchObject({
      code: 403,
    });
    expect((await call(node.broker, "catalog.list", {})).total).toBe(before);
  });

  it("an internal action called from outside any service is refused (403)", async () => {
    await expect(
      call(node.broker, "inventory.reserve", {
        orderId: "0123456789abcdef01234569",
        items: [{ productId: "0123456789abcdef0123456a", quantity: 1 }],
      }),
    ).rejects.toMatchObject({ code: 403 });
    await expect(
      call(node.broker, "inventory.get", { productId: "0123456789abcdef0123456a" }, { meta: { user: admin } }),
    ).rejects.toMatchObject({ code: 403 });
  });

  it("an admin may; a service may call an internal action inside its own (catalog → inventory.availability)", async () => {
    const created = await call(
      node.broker,
      "catalog.create",
      { ...product, sku: "ACL-002" },
      { meta: { user: admin } },
    );
    const fetched: Product = await call(node.broker, "catalog.get", { id: created.id });
    expect(fetched.available).toBe(0);
  });

  it("the system caller passes and is audited", async () => {
    const created = await call(node.broker, "catalog.create", { ...product, sku: "ACL-003" }, asSystem("test.seed"));
    expect(created.sku).toBe("ACL-003");
    expect(logged.some((line) => line.includes("system call catalog.create by test.seed"))).toBe(true);
  });
});

describe("over NATS from a separate node", () => {
  let nats: NatsServer;
  let catalog: AgoraNode;
  let outsider: ServiceBroker;

  beforeAll(async () => {
    nats = await startNats();
    // This file loads moleculer.config, which sets SERVICEDIR for the sources; the node runs dist/.
    const serviceDir = path.resolve(__dirname, "../../dist/services");
    catalog = await startAgoraNode({ services: ["catalog"], transporter: nats.url, env: { SERVICEDIR: serviceDir } });
    outsider = new ServiceBroker({
      namespace: "agora",
      nodeID: `outsider-${process.pid}`,
      transporter: { type: "NATS", options: { url: nats.url } },
      logger: false,
    });
    await outsider.start();
    try {
      await outsider.waitForServices(["catalog"], 30_000);
    } catch (err) {
      throw new Error(`${String(err)}\n${catalog.output().slice(-3000)}`);
    }
  }, 120_000);
  afterAll(async () => {
    await outsider?.stop();
    await stopAll();
  });

  it("catalog.create without a caller is refused", async () => {
    const before = (await outsider.call<{ total: number }, object>("catalog.list", {})).total;
    await expect(outsider.call("catalog.create", product)).rejects.toMatchObject({ code: 401 });
    await expect(outsider.call("catalog.create", product, { meta: { user: customer } })).rejects.toMatchObject({
      code: 403,
    });
    const list = await outsider.call<{ total: number }, object>("catalog.list", {});
    expect(list.total).toBe(before);
  });

  it("a system call from a trusted path is let through and audited in the node's log", async () => {
    await outsider.call("catalog.create", product, asSystem("test.remote-seed"));
    // The answer (over NATS) and the node's log line (over its stdout pipe) reach this process in either order.
    await eventually(() => catalog.output().includes("system call catalog.create by test.remote-seed"), 10_000);
  });
});
