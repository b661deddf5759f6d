import { get } from "../helpers/http";
import { eventually, startAgoraNode, startNats, stopAll, type AgoraNode } from "../helpers/processes";

/**
 * The dead-node probe (platform/core/dead-node-probe.ts) on real processes: a
 * catalog replica that stalls (SIGSTOP) while a call waits on it is dropped
 * and the call is answered by the other replica; once the stalled node runs
 * again it is back in the gateway's registry at once - it was asked for its
 * INFO when it was dropped - not at its next heartbeat (60 s here, so the
 * heartbeat cannot be what brings it back within the test's 20 s). A rollout
 * relies on that: a new node slow to answer its first pings must not stay
 * away while the old replica is being stopped.
 */
describe("a node dropped by the dead-node probe", () => {
  let gateway: AgoraNode;
  let stalled: AgoraNode;

  beforeAll(async () => {
    const nats = await startNats();
    const env = {
      NAMESPACE: `probe${process.pid}`,
      REQUEST_TIMEOUT: "600000",
      HEARTBEAT_INTERVAL: "60",
      HEARTBEAT_TIMEOUT: "180",
      DEAD_NODE_PING_AFTER_MS: "200",
      DEAD_NODE_PING_TIMEOUT_MS: "300",
    };
    gateway = await startAgoraNode({ services: ["api"], nodeID: "probe-gateway", transporter: nats.url, env });
    await startAgoraNode({
      services: ["catalog", "inventory"],
      nodeID: "probe-catalog-1",
      transporter: nats.url,
      env,
    });
    stalled = await startAgoraNode({ services: ["catalog"], nodeID: "probe-catalog-2", transporter: nats.url, env });
    await eventually(async () => /Node 'probe-catalog-2' connected/.test(gateway.output()), 30_000);
    await eventually(async () => /Node 'probe-catalog-1' connected/.test(gateway.output()), 30_000);
  }, 120_000);

  afterAll(() => stopAll());

  it("is asked for its INFO when dropped, and rejoins as soon as it runs again", async () => {
    process.kill(stalled.child.pid!, "SIGSTOP");
    const answers: number[] = [];
    try {
      // Round robin: within two reads (each a page the gateway has not cached) one waits on the stalled node.
      for (let page = 1; page <= 6 && !/did not answer a ping/.test(gateway.output()); page++) {
        answers.push((await get(gateway.url, `/api/v1/products?pageSize=3&page=${page}`)).status);
      }
    } finally {
      process.kill(stalled.child.pid!, "SIGCONT");
    }
    expect(gateway.output()).toMatch(/Node 'probe-catalog-2' did not answer a ping/);
    expect(answers.every((status) => status === 200)).toBe(true);
    await eventually(async () => /Node 'probe-catalog-2' reconnected/.test(gateway.output()), 20_000);
  }, 120_000);
});
