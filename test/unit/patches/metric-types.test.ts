import { ServiceBroker } from "moleculer";
import {
  CounterMetric,
  GaugeMetric,
  HistogramMetric,
  moleculerMetricTypes,
} from "../../../platform/patches/moleculer/metric-types";

/**
 * Agora's gauge, counter and histogram must keep Moleculer's series and
 * values: the same updates go to one of each kind and to Moleculer's own
 * class, and their snapshots (what every reporter, Prometheus included,
 * reads) are compared.
 */

const broker = new ServiceBroker({ logger: false, metrics: { enabled: true } });
const registry = broker.metrics;

/** Snapshots without the update times, which differ between two runs. */
function values(metric: { snapshot(): { key?: string; timestamp: number }[] }) {
  return metric
    .snapshot()
    .map(({ timestamp, ...rest }): Record<string, unknown> => {
      expect(typeof timestamp).toBe("number");
      return rest;
    })
    .sort((a, b) => String(a.key).localeCompare(String(b.key)));
}

const frozen = Object.freeze({ action: "api.rest", service: "api" });
const labelSets = [
  frozen,
  { action: "api.rest", service: "api" },
  { action: "catalog.get", service: "catalog" },
  { action: "x", service: 3 },
  { action: true, service: null },
  { action: "only-action" },
  undefined,
];

describe("Agora's metric types", () => {
  it("a gauge gives Moleculer's values for set, increment and decrement, frozen labels or not", () => {
    const opts = { name: "g", type: "gauge", labelNames: ["action", "service"], rate: true };
    const ours = new GaugeMetric(opts, registry);
    const theirs = new moleculerMetricTypes.Gauge(opts, registry);
    for (const metric of [ours, theirs]) {
      labelSets.forEach((labels, i) => {
        metric.set(i, labels);
        metric.increment(labels);
        metric.increment(labels, 5);
        metric.decrement(labels, 2);
        metric.set(i, labels);
      });
      metric.increment(frozen);
    }
    expect(values(ours)).toEqual(values(theirs));
    // The frozen label object and the second one are the same series.
    expect(ours.get(frozen)).toMatchObject({ value: 2 });
    expect(values(ours).length).toBe(6);
  });

  it("a counter counts as Moleculer's and cannot be decreased", () => {
    const opts = { name: "c", type: "counter", labelNames: ["action", "service"] };
    const ours = new CounterMetric(opts, registry);
    const theirs = new moleculerMetricTypes.Counter(opts, registry);
    for (const metric of [ours, theirs]) {
      for (const labels of labelSets) for (let i = 0; i < 3; i++) metric.increment(labels);
    }
    expect(values(ours)).toEqual(values(theirs));
    expect(ours.type).toBe("counter");
    expect(() => ours.decrement()).toThrow("Counter can't be decreased.");
  });

  it("a histogram has Moleculer's buckets, count, sum and quantiles, also after a reset", () => {
    const opts = {
      name: "h",
      type: "histogram",
      labelNames: ["action", "service"],
      buckets: true,
      quantiles: true,
      rate: true,
    };
    const ours = new HistogramMetric(opts, registry);
    const theirs = new moleculerMetricTypes.Histogram(opts, registry);
    // Below, on and above bucket bounds (1, 5, 10, ..., 10000), and above the last.
    const observations = [0.05, 1, 1.5, 5, 24.9, 25, 999, 10000, 10001, 3.2];
    for (const metric of [ours, theirs]) {
      labelSets.forEach((labels, i) => {
        for (const v of observations.slice(i)) metric.observe(v, labels);
      });
      metric.reset(labelSets[2]);
      metric.observe(7, labelSets[2]);
    }
    expect(values(ours)).toEqual(values(theirs));
    const snapshot = values(ours).find((s) => s.key === '"api.rest"|"api"');
    expect(snapshot).toMatchObject({ count: 19, buckets: { 1: 3, 5: 9, 10000: 17 } });

    for (const metric of [ours, theirs]) {
      metric.resetAll();
      metric.observe(2, frozen);
    }
    expect(values(ours)).toEqual(values(theirs));
  });

  it("are the ones every broker's registry makes", () => {
    expect(registry.register({ name: "t.g", type: "gauge" })).toBeInstanceOf(GaugeMetric);
    expect(registry.register({ name: "t.c", type: "counter" })).toBeInstanceOf(CounterMetric);
    expect(registry.register({ name: "t.h", type: "histogram", buckets: true })).toBeInstanceOf(HistogramMetric);
  });
});
