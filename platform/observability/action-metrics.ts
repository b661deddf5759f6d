import * as moleculer from "moleculer";
import "./metric-types";
import { METRIC, type ActionHandler, type ActionSchema, type Context, type ServiceBroker } from "moleculer";

/**
 * Moleculer's per-action request metrics, with the same series, labels and
 * values, at a fraction of the cost per call.
 *
 * Moleculer's Metrics middleware updates five series on every action call
 * (request total, active, levels, time; errors on failure) and builds a fresh
 * label object for each, which every metric turns into a string key by
 * joining the label values (twice for a counter or gauge: read, then write).
 * On the read path that was the largest item left after the socket write
 * (bench/README.md, A/B log). Here the label objects are made once per action
 * and caller and frozen, and the metrics remember the key of a frozen label
 * object (metric-types.ts), so a call costs the updates themselves.
 *
 * Installed in place of Moleculer's own by name (as broker-observability.ts
 * does for the Jaeger exporter); everything else of that middleware (event,
 * transit and transporter metrics) is Moleculer's, unchanged.
 */

type Labels = Readonly<Record<string, unknown>>;
type MiddlewareFactory = (broker: ServiceBroker) => Record<string, unknown> & {
  created?: (this: unknown, ...args: unknown[]) => void;
};
const { Middlewares } = moleculer as typeof moleculer & {
  Middlewares: Record<string, unknown> & { register(name: string, value: MiddlewareFactory): void };
};

/** Frozen label objects, one per key, made on first use (callers and levels are few). */
function labelCache<K>(make: (key: K) => Record<string, unknown>): (key: K) => Labels {
  const cache = new Map<K, Labels>();
  return (key) => {
    let labels = cache.get(key);
    if (!labels) cache.set(key, (labels = Object.freeze(make(key))));
    return labels;
  };
}

function actionHandler(broker: ServiceBroker, type: string, action: ActionSchema, next: ActionHandler) {
  const metrics = broker.metrics;
  const service = action.service ? action.service.fullName : null;
  const name = action.name;
  const byCaller = labelCache((caller: string | null | undefined) => ({ service, action: name, caller, type }));
  const byLevel = labelCache((level: number) => ({ service, action: name, level }));

  return function actionMetrics(this: ThisParameterType<ActionHandler>, ctx: Context) {
    const labels = byCaller(ctx.caller);
    metrics.increment(METRIC.MOLECULER_REQUEST_TOTAL, labels);
    metrics.increment(METRIC.MOLECULER_REQUEST_ACTIVE, labels);
    metrics.increment(METRIC.MOLECULER_REQUEST_LEVELS, byLevel(ctx.level));
    const timeEnd = metrics.timer(METRIC.MOLECULER_REQUEST_TIME, labels);
    return (next.call(this, ctx) as Promise<unknown>).then(
      (res) => {
        timeEnd();
        metrics.decrement(METRIC.MOLECULER_REQUEST_ACTIVE, labels);
        return res;
      },
      (err: { name?: string; code?: unknown; type?: unknown } | null) => {
        timeEnd();
        metrics.decrement(METRIC.MOLECULER_REQUEST_ACTIVE, labels);
        metrics.increment(METRIC.MOLECULER_REQUEST_ERROR_TOTAL, {
          ...labels,
          errorName: err ? err.name : null,
          errorCode: err ? err.code : null,
          errorType: err ? err.type : null,
        });
        throw err;
      },
    );
  };
}

const moleculerMetrics = Middlewares.Metrics as MiddlewareFactory;

/** Moleculer's Metrics middleware with the action hooks above. */
export const ActionMetricsMiddleware: MiddlewareFactory = (broker) => {
  const original = moleculerMetrics(broker);
  return {
    ...original,
    localAction(next: ActionHandler, action: ActionSchema) {
      return broker.isMetricsEnabled() ? actionHandler(broker, "local", action, next) : next;
    },
    remoteAction(next: ActionHandler, action: ActionSchema) {
      return broker.isMetricsEnabled() ? actionHandler(broker, "remote", action, next) : next;
    },
  };
};

// Moleculer adds its internal middlewares by name when a broker is created.
if (Middlewares.Metrics !== ActionMetricsMiddleware) {
  Middlewares.register("Metrics", ActionMetricsMiddleware);
}

export { moleculerMetrics as MoleculerMetricsMiddleware };
