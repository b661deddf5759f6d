import * as moleculer from "moleculer";
import { Errors, METRIC, type ActionHandler, type ActionSchema, type Context, type ServiceBroker } from "moleculer";
import { gaugeSeries } from "./metric-types";

/**
 * Patch: moleculer@0.15.2, the Bulkhead middleware's localAction hook (Middlewares.Bulkhead
 * replaced by name; its event hook is Moleculer's own).
 * Canary: test/unit/patches/moleculer.canary.test.ts
 * Upstream: yes, small: src/middlewares/bulkhead.js could make its label object once per
 * action; the gauge series handles come with metric-types.ts.
 *
 * Moleculer's Bulkhead middleware with the same limits, queue and gauges
 * (`moleculer.request.bulkhead.inflight`, `.queue.size` per action), at less
 * cost per call: Moleculer's sets both gauges on entry and on exit of every
 * call, each with a fresh label object whose key is then built and looked up
 * again; here each action finds its two series once (metric-types.ts; A/B in
 * bench/README.md, 332c9a3). Events keep Moleculer's own code (the event
 * gauges), unchanged.
 *
 * Installed in place of Moleculer's own by name when this module is loaded,
 * as action-metrics.ts is.
 */

type MiddlewareFactory = (broker: ServiceBroker) => Record<string, unknown>;
const { Middlewares } = moleculer as typeof moleculer & {
  Middlewares: Record<string, unknown> & { register(name: string, value: MiddlewareFactory): void };
};

interface Queued {
  ctx: Context;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

interface BulkheadOptions {
  enabled?: boolean;
  concurrency?: number;
  maxQueueSize?: number;
}

function wrapAction(broker: ServiceBroker, handler: ActionHandler, action: ActionSchema): ActionHandler {
  const opts: BulkheadOptions = { ...broker.options.bulkhead, ...(action.bulkhead as BulkheadOptions | undefined) };
  if (!opts.enabled) return handler;
  const concurrency = opts.concurrency ?? 0;
  const labels = Object.freeze({ action: action.name, service: action.service?.fullName });
  const inflightGauge = gaugeSeries(broker.metrics, METRIC.MOLECULER_REQUEST_BULKHEAD_INFLIGHT, labels);
  const queueGauge = gaugeSeries(broker.metrics, METRIC.MOLECULER_REQUEST_BULKHEAD_QUEUE_SIZE, labels);
  // Moleculer's wrapped handlers are called without `this`, as its own bulkhead does.
  const call = handler as (ctx: Context) => Promise<unknown>;
  const queue: Queued[] = [];
  let inFlight = 0;

  const gauges = () => {
    inflightGauge?.set(inFlight);
    queueGauge?.set(queue.length);
  };

  const run = (ctx: Context): Promise<unknown> => {
    inFlight++;
    gauges();
    return call(ctx).then(
      (res) => {
        inFlight--;
        gauges();
        callNext();
        return res;
      },
      (err: unknown) => {
        inFlight--;
        gauges();
        callNext();
        throw err;
      },
    );
  };

  const callNext = () => {
    if (queue.length === 0 || inFlight >= concurrency) return;
    const item = queue.shift()!;
    run(item.ctx).then(item.resolve, item.reject);
  };

  return function bulkhead(ctx: Context) {
    if (inFlight < concurrency) return run(ctx);
    if (opts.maxQueueSize && queue.length >= opts.maxQueueSize) {
      return Promise.reject(new Errors.QueueIsFullError({ action: ctx.action?.name, nodeID: ctx.nodeID }));
    }
    const queued = new Promise((resolve, reject) => queue.push({ resolve, reject, ctx }));
    queueGauge?.set(queue.length);
    return queued;
  };
}

const moleculerBulkhead = Middlewares.Bulkhead as MiddlewareFactory;

/** Moleculer's Bulkhead middleware with the action hook above. */
export const BulkheadMiddleware: MiddlewareFactory = (broker) => ({
  ...moleculerBulkhead(broker),
  localAction(handler: ActionHandler, action: ActionSchema) {
    return wrapAction(broker, handler, action);
  },
});

// Moleculer adds its internal middlewares by name when a broker is created.
if (Middlewares.Bulkhead !== BulkheadMiddleware) {
  Middlewares.register("Bulkhead", BulkheadMiddleware);
}

export { moleculerBulkhead as MoleculerBulkheadMiddleware };
