import type { ServiceBroker } from "moleculer";

/**
 * agora_node_ready: 1 while the node's /readyz would answer 200, 0 while it
 * would answer 503, so Prometheus sees a node the orchestrator has taken out
 * of rotation (docker/alerts.yml, ReadinessFailing) without probing it.
 * Evaluated every READINESS_METRIC_MS rather than on scrape: Moleculer's
 * reporter serves the registry as it is and readiness takes a NATS round trip.
 */
export const READINESS_METRIC = "agora_node_ready";
export const READINESS_METRIC_MS = 5000;

/** Starts refreshing the gauge from `readiness` (health.ts); returns the stop function. Does nothing without metrics. */
export function startReadinessMetric(
  broker: ServiceBroker,
  readiness: () => Promise<{ status: "ok" | "unavailable" }>,
): () => void {
  if (!broker.isMetricsEnabled()) return () => {};
  if (!broker.metrics.getMetric(READINESS_METRIC)) {
    broker.metrics.register({
      name: READINESS_METRIC,
      type: "gauge",
      labelNames: [],
      description: "1 while the node's readiness checks (/readyz) pass, 0 while any fails",
    });
  }
  const refresh = () =>
    readiness().then(
      (r) => broker.metrics.set(READINESS_METRIC, r.status === "ok" ? 1 : 0),
      () => broker.metrics.set(READINESS_METRIC, 0),
    );
  void refresh();
  const timer = setInterval(refresh, READINESS_METRIC_MS);
  timer.unref();
  return () => clearInterval(timer);
}
