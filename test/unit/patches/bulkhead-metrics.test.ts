import { ServiceBroker, type Middleware } from "moleculer";
import { BulkheadMiddleware, MoleculerBulkheadMiddleware } from "../../../platform/patches/moleculer/bulkhead-metrics";

/**
 * Agora's bulkhead must limit, queue, refuse and count as Moleculer's does:
 * the same calls go through a broker with each middleware (concurrency 2,
 * queue of 2) and what the callers got and the gauges said are compared.
 */

type Gauges = Record<string, { labels: unknown; value: unknown }[]>;

function gauges(broker: ServiceBroker): Gauges {
  const list = broker.metrics.list({ includes: "moleculer.request.bulkhead.**" });
  return Object.fromEntries(
    list.map((m) => [
      m.name,
      [...(m.values.values() as Iterable<{ labels: unknown; value: unknown }>)].map(({ labels, value }) => ({
        labels,
        value,
      })),
    ]),
  );
}

async function run(bulkhead: unknown) {
  const broker = new ServiceBroker({
    nodeID: "bulkhead-test",
    logger: false,
    metrics: { enabled: true },
    bulkhead: { enabled: true, concurrency: 2, maxQueueSize: 2 },
    internalMiddlewares: false,
    middlewares: [bulkhead as Middleware],
  });
  const waiting: (() => void)[] = [];
  broker.createService({
    name: "shop",
    actions: {
      slow: (ctx) =>
        new Promise((resolve, reject) =>
          waiting.push(() => (ctx.params.fail ? reject(new Error("failed")) : resolve(ctx.params.n))),
        ),
    },
  });
  await broker.start();
  try {
    const calls = [1, 2, 3, 4, 5].map((n) =>
      broker.call("shop.slow", { n, fail: n === 3 }).then(
        (value) => ({ value }),
        (err: Error) => ({ error: err.name }),
      ),
    );
    // Let the first two start and the next two queue.
    await new Promise((r) => setImmediate(r));
    const during = gauges(broker);
    const running = waiting.length;
    // Release whatever runs until every call has its answer (the queued ones start as others end).
    let settled = false;
    const all = Promise.all(calls).finally(() => (settled = true));
    while (!settled) {
      waiting.splice(0).forEach((release) => release());
      await new Promise((r) => setImmediate(r));
    }
    const results = await all;
    return { running, during, results, after: gauges(broker) };
  } finally {
    await broker.stop();
  }
}

describe("the bulkhead", () => {
  it("limits, queues, refuses and counts as Moleculer's own middleware", async () => {
    const ours = await run(BulkheadMiddleware);
    const moleculers = await run(MoleculerBulkheadMiddleware);
    expect(ours).toEqual(moleculers);

    expect(ours.running).toBe(2);
    expect(ours.results).toEqual([
      { value: 1 },
      { value: 2 },
      { error: "Error" },
      { value: 4 },
      { error: "QueueIsFullError" },
    ]);
    const labels = { action: "shop.slow", service: "shop" };
    expect(ours.during["moleculer.request.bulkhead.inflight"]).toEqual([{ labels, value: 2 }]);
    expect(ours.during["moleculer.request.bulkhead.queue.size"]).toEqual([{ labels, value: 2 }]);
    expect(ours.after["moleculer.request.bulkhead.inflight"]).toEqual([{ labels, value: 0 }]);
    expect(ours.after["moleculer.request.bulkhead.queue.size"]).toEqual([{ labels, value: 0 }]);
  });
});
