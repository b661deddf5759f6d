import { eventually, startAgoraNode, stopAll } from "../helpers/processes";

/**
 * agora_node_ready on /metrics follows /readyz (docker/alerts.yml, ReadinessFailing, reads it): 1 on a node
 * whose checks pass, 0 on a node missing a service it depends on, which /readyz answers 503 for.
 */
describe("agora_node_ready", () => {
  afterAll(stopAll);

  const gauge = async (metricsUrl: string) => {
    const text = await (await fetch(`${metricsUrl}/metrics`)).text();
    const match = /^agora_node_ready\{[^}]*\} (\d+)$/m.exec(text);
    return match ? Number(match[1]) : undefined;
  };

  it("is 1 on a ready node and 0 on one whose /readyz answers 503", async () => {
    const [ready, orphan] = await Promise.all([
      startAgoraNode({ services: ["api", "catalog"] }),
      // orders alone: inventory and payments, which it cannot work without, run nowhere.
      startAgoraNode({ services: ["orders"] }),
    ]);
    expect(await eventually(async () => (await gauge(ready.metricsUrl)) === 1)).toBe(true);
    expect((await fetch(`${ready.healthUrl}/readyz`)).status).toBe(200);
    expect(await eventually(async () => (await gauge(orphan.metricsUrl)) === 0)).toBe(true);
    expect((await fetch(`${orphan.healthUrl}/readyz`)).status).toBe(503);
  }, 120_000);
});
