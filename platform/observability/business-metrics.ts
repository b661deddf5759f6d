import type { MetricRegistry, ServiceBroker } from "moleculer";

/**
 * Business metrics, exported with Moleculer's own metrics on /metrics
 * (Prometheus). Services call these functions at the point where the thing
 * happens; each is a no-op when metrics are off (METRICS_PORT unset), so the
 * calls cost nothing in dev and tests.
 *
 *   agora_orders_total{status}                  orders by final status
 *   agora_checkout_duration_seconds             checkout duration (histogram)
 *   agora_payment_declines_total{reason}        declined charges
 *   agora_products_low_stock                    products below the stock threshold
 *   agora_notification_lag_seconds              order event → notification recorded (histogram)
 */

type Holder = Pick<ServiceBroker, "metrics">;

type Registry = ServiceBroker["metrics"];

type MetricName =
  | "agora_orders_total"
  | "agora_checkout_duration_seconds"
  | "agora_payment_declines_total"
  | "agora_products_low_stock"
  | "agora_notification_lag_seconds";

type MetricOptions =
  MetricRegistry.CounterMetricOptions | MetricRegistry.GaugeMetricOptions | MetricRegistry.HistogramMetricOptions;

const DEFINITIONS: Record<MetricName, MetricOptions> = {
  agora_orders_total: {
    name: "agora_orders_total",
    type: "counter",
    labelNames: ["status"],
    description: "Orders that reached a final status",
  },
  agora_checkout_duration_seconds: {
    name: "agora_checkout_duration_seconds",
    type: "histogram",
    labelNames: ["status"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    unit: "seconds",
    description: "Time from checkout request to the order's final status",
  },
  agora_payment_declines_total: {
    name: "agora_payment_declines_total",
    type: "counter",
    labelNames: ["reason"],
    description: "Card charges the payment provider declined",
  },
  agora_products_low_stock: {
    name: "agora_products_low_stock",
    type: "gauge",
    labelNames: [],
    description: "Products whose available stock is below the low-stock threshold",
  },
  agora_notification_lag_seconds: {
    name: "agora_notification_lag_seconds",
    type: "histogram",
    labelNames: ["event"],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    unit: "seconds",
    description: "Time from an order event to its notification being recorded",
  },
};

/** `register` is overloaded per metric type, so each type is passed on by its own branch. */
function register(registry: Registry, options: MetricOptions): void {
  if (options.type === "counter") registry.register(options);
  else if (options.type === "gauge") registry.register(options);
  else registry.register(options);
}

/** The registry with the metric registered, or undefined when metrics are off. */
function metric(holder: Holder, name: MetricName): Registry | undefined {
  const registry: Registry | undefined = holder.metrics;
  if (!registry?.isEnabled()) return undefined;
  if (!registry.hasMetric(name)) register(registry, DEFINITIONS[name]);
  return registry;
}

/** An order reached a final status; `startedAt` is when its checkout began (ms or ISO). */
export function orderFinished(holder: Holder, status: string, startedAt?: number | string): void {
  metric(holder, "agora_orders_total")?.increment("agora_orders_total", { status });
  if (startedAt === undefined) return;
  const start = typeof startedAt === "number" ? startedAt : Date.parse(startedAt);
  if (!Number.isFinite(start)) return;
  metric(holder, "agora_checkout_duration_seconds")?.observe(
    "agora_checkout_duration_seconds",
    Math.max(0, (Date.now() - start) / 1000),
    { status },
  );
}

export function paymentDeclined(holder: Holder, reason: string): void {
  metric(holder, "agora_payment_declines_total")?.increment("agora_payment_declines_total", { reason });
}

const lowStock = new WeakMap<object, Set<string>>();

/**
 * The available stock of a product changed. The gauge counts the products
 * this node last saw below the threshold.
 */
export function stockLevel(holder: Holder, productId: string, available: number, threshold: number): void {
  const registry = metric(holder, "agora_products_low_stock");
  if (!registry) return;
  let low = lowStock.get(registry);
  if (!low) lowStock.set(registry, (low = new Set()));
  if (available < threshold) low.add(productId);
  else low.delete(productId);
  registry.set("agora_products_low_stock", low.size);
}

/** A notification was recorded for an order event that happened at `occurredAt` (ms or ISO). */
export function notificationRecorded(holder: Holder, event: string, occurredAt: number | string | undefined): void {
  if (occurredAt === undefined) return;
  const at = typeof occurredAt === "number" ? occurredAt : Date.parse(occurredAt);
  if (!Number.isFinite(at)) return;
  metric(holder, "agora_notification_lag_seconds")?.observe(
    "agora_notification_lag_seconds",
    Math.max(0, (Date.now() - at) / 1000),
    { event },
  );
}
