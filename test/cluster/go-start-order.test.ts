import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import { eventually, startAgoraNode, startNats, stopAll, type AgoraNode } from "../helpers/processes";
import { FAST_HEARTBEAT, servicesSeenBy, startObserver } from "./cluster";
import { startGoNode, type GoNode } from "./go-nodes";

/**
 * Issue #26: two Go recommendations nodes started before a Node gateway were
 * never listed by it. A Go node answered the gateway's DISCOVER during its own
 * start with an INFO without services whose seq was then reused for the INFO
 * listing them, which Moleculer's registry ignores (not a higher seq). Whatever
 * the start order, the gateway must list both Go nodes within a few heartbeats.
 */
type Order = "before" | "together" | "after";

describe.each<Order>(["before", "together", "after"])("Go nodes started %s the Node gateway", (order) => {
  const namespace = `goorder${process.pid}${order}`;
  const dirs: string[] = [];
  let observer: ServiceBroker | undefined;
  let gateway: AgoraNode;

  afterAll(async () => {
    await observer?.stop();
    await stopAll();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the gateway lists recommendations on both Go nodes", async () => {
    const nats = await startNats();
    const env = { ...FAST_HEARTBEAT, NAMESPACE: namespace, LOGLEVEL: "warn,BROKER=info" };
    const goNode = (id: string) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-go-order-"));
      dirs.push(dir);
      // At info level: startGoNode waits for the line announcing the start.
      return startGoNode(`${id}-${order}`, nats.url, { ...env, DATA_DIR: dir, LOGLEVEL: "info" });
    };
    const startGateway = () =>
      startAgoraNode({ services: ["api"], nodeID: `order-gw-${order}`, transporter: nats.url, env });
    let goNodes: GoNode[];
    if (order === "before") {
      goNodes = await Promise.all([goNode("go-a"), goNode("go-b")]);
      gateway = await startGateway();
    } else if (order === "together") {
      const started = await Promise.all([goNode("go-a"), goNode("go-b"), startGateway()]);
      goNodes = started.slice(0, 2) as GoNode[];
      gateway = started[2] as AgoraNode;
    } else {
      gateway = await startGateway();
      goNodes = await Promise.all([goNode("go-a"), goNode("go-b")]);
    }
    observer = await startObserver(nats.url, namespace);
    // Heartbeats are 1 s apart here; before the fix the service never appeared at all.
    const seen = await eventually(async () => {
      const services = await servicesSeenBy(observer!, gateway.nodeID);
      const nodes = services.get("recommendations") ?? [];
      return nodes.length === 2 && nodes;
    }, 15_000);
    expect(seen).toEqual(goNodes.map((node) => node.nodeID).sort());
  }, 120_000);
});
