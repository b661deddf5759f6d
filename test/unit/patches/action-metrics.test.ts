import { Errors, ServiceBroker, type Middleware } from "moleculer";
import {
  ActionMetricsMiddleware,
  MoleculerMetricsMiddleware,
} from "../../../platform/patches/moleculer/action-metrics";

/**
 * Agora's per-action request metrics must be Moleculer's, series for series
 * and value for value: two real brokers, one with each middleware, run the
 * same calls and their request metrics are compared.
 */

interface Snapshot {
  key: string;
  labels: Record<string, unknown>;
  value?: number;
  count?: number;
}

async function requestMetricsAfterCalls(metricsMiddleware: unknown) {
  const broker = new ServiceBroker({
    nodeID: "metrics-test",
    logger: false,
    metrics: { enabled: true },
    // Only the metrics middleware under test (Moleculer adds its own by name otherwise).
    internalMiddlewares: false,
    middlewares: [metricsMiddleware as Middleware],
  });
  broker.createService({
    name: "shop",
    actions: {
      ok: () => "ok",
      fail: () => {
        throw new Errors.MoleculerClientError("no", 422, "REFUSED");
      },
      nested: (ctx) => ctx.call("shop.ok"),
    },
  });
  await broker.start();
  try {
    for (let i = 0; i < 3; i++) await broker.call("shop.ok");
    for (let i = 0; i < 2; i++) await broker.call("shop.nested");
    for (let i = 0; i < 2; i++) await expect(broker.call("shop.fail")).rejects.toThrow("no");
    const metrics = broker.metrics.list({ includes: "moleculer.request.**" });
    return Object.fromEntries(
      metrics.map((m) => [
        m.name,
        // (A list of snapshots at run time; typed as a Map.)
        [...(m.values.values() as Iterable<Snapshot>)]
          // Timings differ between runs; the number of observations does not.
          .map(({ key, labels, value, count }) => ({ key, labels, value, count }))
          .sort((a, b) => a.key.localeCompare(b.key)),
      ]),
    );
  } finally {
    await broker.stop();
  }
}

describe("per-action request metrics", () => {
  it("are the same series and values as Moleculer's own middleware gives", async () => {
    const ours = await requestMetricsAfterCalls(ActionMetricsMiddleware);
    const moleculers = await requestMetricsAfterCalls(MoleculerMetricsMiddleware);
    expect(ours).toEqual(moleculers);

    const total = ours["moleculer.request.total"];
    expect(total).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          labels: { service: "shop", action: "shop.ok", type: "local", caller: null },
          value: 3,
        }),
        expect.objectContaining({ labels: expect.objectContaining({ action: "shop.ok", caller: "shop" }), value: 2 }),
        expect.objectContaining({ labels: expect.objectContaining({ action: "shop.fail" }), value: 2 }),
      ]),
    );
    expect(ours["moleculer.request.active"].every((v) => v.value === 0)).toBe(true);
    expect(ours["moleculer.request.time"].reduce((n, v) => n + (v.count ?? 0), 0)).toBe(9);
    expect(ours["moleculer.request.error.total"]).toEqual([
      expect.objectContaining({
        labels: expect.objectContaining({ action: "shop.fail", errorName: "MoleculerClientError", errorCode: 422 }),
        value: 2,
      }),
    ]);
    expect(ours["moleculer.request.levels"]).toEqual([
      expect.objectContaining({ labels: { level: 1 }, value: 7 }),
      expect.objectContaining({ labels: { level: 2 }, value: 2 }),
    ]);
  });
});
