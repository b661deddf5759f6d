import * as moleculer from "moleculer";
import { Errors, ServiceBroker, type Middleware } from "moleculer";
import {
  ActionMetricsMiddleware,
  MoleculerMetricsMiddleware,
} from "../../../platform/patches/moleculer/action-metrics";
import { BulkheadMiddleware, MoleculerBulkheadMiddleware } from "../../../platform/patches/moleculer/bulkhead-metrics";
import { AgoraJaegerExporter } from "../../../platform/patches/moleculer/jaeger-exporter";
import {
  CounterMetric,
  GaugeMetric,
  HistogramMetric,
  moleculerMetricTypes,
} from "../../../platform/patches/moleculer/metric-types";
import { changedSources, versionChecks } from "./canary";

/**
 * Upgrade canary of platform/patches/moleculer/ (docs/patches.md): the Moleculer code those
 * patches replace, repeat or reach into is still what they were written against.
 */
versionChecks("moleculer");

const { MetricTypes, Middlewares, TracerExporters, Transporters } = moleculer as typeof moleculer & {
  Middlewares: Record<string, unknown>;
};

interface PendingRequest {
  action: { name: string };
  nodeID?: string;
  reject(err: Error): void;
}
interface TransitInternals {
  pendingRequests: Map<string, PendingRequest>;
  removePendingRequest(id: string): void;
  afterConnect(wasReconnect: boolean): Promise<unknown>;
  tx: { onConnected(wasReconnect: boolean): Promise<unknown> };
}
const transitOf = (broker: ServiceBroker): TransitInternals => broker.transit as object as TransitInternals;
const prototypeOf = (cls: unknown) => (cls as { prototype: Record<string, unknown> }).prototype;

describe("platform/patches/moleculer: the upstream code the patches rely on", () => {
  it("metric-types.ts: Moleculer's gauge, counter and histogram, whose code it repeats, are unchanged", () => {
    // hashingLabels (labelKey), Gauge.set (update), Histogram.observe/resetItem/generateItemSnapshot (record, count).
    expect(
      changedSources(
        {
          "BaseMetric.hashingLabels": "b40de29f66aae083",
          Gauge: "2b9b65b74683bed0",
          Counter: "e4715aa7a28bc4e5",
          Histogram: "baa0db4ef1a8b9b1",
        },
        {
          "BaseMetric.hashingLabels": prototypeOf(MetricTypes.Base).hashingLabels,
          Gauge: moleculerMetricTypes.Gauge,
          Counter: moleculerMetricTypes.Counter,
          Histogram: moleculerMetricTypes.Histogram,
        },
      ),
    ).toEqual([]);
  });

  it("metric-types.ts: a class registered under a type name is what a registry builds", () => {
    expect([MetricTypes.resolve("Gauge"), MetricTypes.resolve("Counter"), MetricTypes.resolve("Histogram")]).toEqual([
      GaugeMetric,
      CounterMetric,
      HistogramMetric,
    ]);
    const broker = new ServiceBroker({ logger: false, metrics: { enabled: true } });
    const gauge = broker.metrics.register({ name: "canary.gauge", type: "gauge", labelNames: ["a"] });
    const histogram = broker.metrics.register({ name: "canary.histogram", type: "histogram", buckets: [1, 10] });
    expect(gauge).toBeInstanceOf(GaugeMetric);
    expect(histogram).toBeInstanceOf(HistogramMetric);
    // The fields the patch reads: a Map of series by label key, the bucket bounds.
    expect((gauge as unknown as { values: unknown }).values).toBeInstanceOf(Map);
    expect((histogram as unknown as { buckets: number[] }).buckets).toEqual([1, 10]);
  });

  it("action-metrics.ts, bulkhead-metrics.ts: Moleculer's middlewares they replace by name are unchanged", () => {
    expect(
      changedSources(
        { Metrics: "1d303d9be57970da", Bulkhead: "2d3ad112690ad302" },
        { Metrics: MoleculerMetricsMiddleware, Bulkhead: MoleculerBulkheadMiddleware },
      ),
    ).toEqual([]);
    // Moleculer adds its internal middlewares by these names when a broker is created.
    expect(Middlewares.Metrics).toBe(ActionMetricsMiddleware);
    expect(Middlewares.Bulkhead).toBe(BulkheadMiddleware);
    const broker = new ServiceBroker({ logger: false, metrics: { enabled: true } });
    const hooks = (broker.middlewares as unknown as { list: { localAction?: unknown }[] }).list;
    expect(hooks.some((mw) => mw.localAction && String(mw.localAction).includes("wrapAction"))).toBe(true);
  });

  it("jaeger-exporter.ts: Moleculer's exporter and its convertTraceID are unchanged, ours is built for 'Jaeger'", () => {
    expect(
      changedSources(
        { "Jaeger.convertTraceID": "0a0240414518f99e" },
        { "Jaeger.convertTraceID": prototypeOf(Object.getPrototypeOf(AgoraJaegerExporter)).convertTraceID },
      ),
    ).toEqual([]);
    expect(TracerExporters.resolve({ type: "Jaeger" })).toBeInstanceOf(AgoraJaegerExporter);
  });

  it("nats-reconnect.ts, nats-client.ts: the transporter and transit code they call or replace is unchanged", () => {
    const broker = new ServiceBroker({ logger: false, transporter: "Fake" });
    const transit = transitOf(broker);
    expect(
      changedSources(
        {
          "NATS.connect": "bf2c7936579b4e8f",
          "Transporter.onConnected": "2ed2b946f3661920",
          "Transit.removePendingRequest": "9e0ca038e36a8562",
          Transit: "bb21ef1b8fa48c7b",
        },
        {
          // Only a debug line on nats.js 2's reconnect, and `this.client` set here.
          "NATS.connect": prototypeOf(Transporters.NATS).connect,
          "Transporter.onConnected": prototypeOf(Transporters.Base).onConnected,
          "Transit.removePendingRequest": transit.removePendingRequest,
          // Its constructor: pendingRequests, and transitMessageHandler wrapping the message handler.
          Transit: transit.constructor,
        },
      ),
    ).toEqual([]);
  });

  describe("on two brokers over Moleculer's Fake transporter", () => {
    const seen: { cmd: string; sender?: string }[] = [];
    const named: Middleware = { name: "Probe" };
    // As nats-reconnect.ts adds it: Moleculer's typings have this hook return the handler's result.
    const probe = Object.assign(named, {
      transitMessageHandler(next: (cmd: string, packet: { payload?: { sender?: string } }) => Promise<unknown>) {
        return (cmd: string, packet: { payload?: { sender?: string } }) => {
          seen.push({ cmd, sender: packet.payload?.sender });
          return next(cmd, packet);
        };
      },
    });
    const a = new ServiceBroker({
      nodeID: "a",
      namespace: "canary",
      logger: false,
      transporter: "Fake",
      middlewares: [probe],
    });
    const b = new ServiceBroker({ nodeID: "b", namespace: "canary", logger: false, transporter: "Fake" });
    let release: () => void = () => undefined;
    b.createService({
      name: "slow",
      actions: { wait: () => new Promise<string>((resolve) => (release = () => resolve("late"))) },
    });

    beforeAll(async () => {
      await a.start();
      await b.start();
      await a.waitForServices("slow");
    });
    afterAll(async () => {
      release();
      await a.stop();
      await b.stop();
    });

    it("transitMessageHandler gets the handler and returns the one used; a node that connects sends a DISCOVER with its sender", () => {
      expect(seen).toContainEqual({ cmd: "DISCOVER", sender: "b" });
    });

    it("a call waiting for an answer is in pendingRequests (action name, node, reject) until removePendingRequest", async () => {
      const transit = transitOf(a);
      const call = a.call("slow.wait", {}, { retries: 0 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(transit.pendingRequests.size).toBe(1);
      const [[id, req]] = [...transit.pendingRequests];
      expect({ action: req.action.name, nodeID: req.nodeID, reject: typeof req.reject }).toEqual({
        action: "slow.wait",
        nodeID: "b",
        reject: "function",
      });
      // What nats-reconnect.ts does with a call lost in a NATS restart.
      transit.removePendingRequest(id);
      req.reject(new Errors.RequestRejectedError({ action: req.action.name, nodeID: req.nodeID }));
      await expect(call).rejects.toBeInstanceOf(Errors.RequestRejectedError);
      expect(transit.pendingRequests.size).toBe(0);
      expect(typeof transit.tx.onConnected).toBe("function");
      expect(transit.tx.onConnected.length).toBe(1);
    });

    it("onConnected(true) runs the after-reconnect steps: $transporter.connected with wasReconnect", async () => {
      const payloads: unknown[] = [];
      a.localBus.on("$transporter.connected", (payload: unknown) => payloads.push(payload));
      await transitOf(a).tx.onConnected(true);
      expect(payloads).toEqual([{ wasReconnect: true }]);
    });
  });
});
