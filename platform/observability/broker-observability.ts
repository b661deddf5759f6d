import type { BrokerOptions, Middleware } from "moleculer";
import { config } from "../config";
// Moleculer's metric types, per-action request metrics and bulkhead: the same series, cheaper; its
// Jaeger exporter with trace ids any request id maps to. Each replaces Moleculer's own by name when
// loaded (platform/patches/moleculer/, docs/patches.md).
import "../patches/moleculer/metric-types";
import "../patches/moleculer/bulkhead-metrics";
import "../patches/moleculer/action-metrics";
import "../patches/moleculer/jaeger-exporter";

/**
 * Tracing, metrics and heartbeat options from the environment. Everything
 * here is off unless configured, so a laptop or a test pays nothing for it.
 *
 *   JAEGER_ENDPOINT       Thrift over HTTP, e.g. http://jaeger:14268/api/traces
 *   JAEGER_AGENT_HOST/_PORT  UDP to a Jaeger agent (port 6832)
 *   TRACING_SAMPLE_RATE   share of requests traced, 0..1 (1)
 *   METRICS_PORT          Prometheus /metrics port; 3030 in production, off
 *                         elsewhere; 0 or METRICS=false turns it off
 *   HEARTBEAT_INTERVAL / HEARTBEAT_TIMEOUT  seconds (10 / 30): how soon a
 *                         vanished node is dropped from the registry
 */

declare module "moleculer" {
  interface EventSchema {
    /** Moleculer reads it per event (as for actions); its typings leave it out. */
    tracing?: boolean;
  }
}

export function sampleRate(): number {
  return config.TRACING_SAMPLE_RATE;
}

export function tracingFromEnv(nodeID: string): BrokerOptions["tracing"] {
  const endpoint = config.JAEGER_ENDPOINT;
  const agentHost = config.JAEGER_AGENT_HOST;
  if (!endpoint && !agentHost) return false;
  return {
    enabled: true,
    // Moleculer decides what is sampled (and passes the decision along with
    // each call); the exporter reports every span it is given.
    sampling: { rate: sampleRate() },
    actions: true,
    events: true,
    // Action params and event payloads carry passwords, tokens and card
    // data, so no span records them. An action may name safe params in its
    // own schema: tracing: { tags: { params: ["productId"] } }.
    tags: {
      action: { params: false, meta: false, response: false },
      event: { params: false, meta: false },
    },
    // Error `data` can echo the offending input value (a validation error on
    // a card number); name, message, code and type are enough to debug.
    // Five entries on purpose: Moleculer merges this with its default list
    // (which ends in "data") index by index, so a shorter list would keep it.
    errorFields: ["name", "message", "code", "type", "retryable"],
    stackTrace: false,
    exporter: {
      type: "Jaeger",
      options: {
        // Unset: Moleculer's exporter then reports over UDP to host:port.
        endpoint,
        host: agentHost ?? "127.0.0.1",
        port: config.JAEGER_AGENT_PORT,
        // (Moleculer's `legacyMode` only shortens trace ids in convertTraceID, which ours replaces.)
        // Jaeger shows one "process" per service and node; the tag tells
        // replicas of a service apart.
        tracerOptions: { tags: { nodeID } },
        defaultTags: { nodeID },
      },
    },
  };
}

/**
 * Moleculer's own local events ($services.changed, $node.connected, ...) and
 * moleculer-db's cache.clean.* broadcasts (sent without a context after each
 * write) are not part of any request; traced, each would be a root trace of
 * its own that buries the requests in Jaeger. User middlewares wrap handlers
 * before the Tracing middleware does, so switching it off here takes effect.
 */
export const UntracedInternalEventsMiddleware: Middleware = {
  name: "UntracedInternalEvents",
  localEvent(next, event) {
    if (event.name?.startsWith("$") || event.name?.startsWith("cache.clean.")) event.tracing = false;
    return next;
  },
};

/** The Prometheus port, or undefined when metrics are off. */
export function metricsPort(): number | undefined {
  if (!config.METRICS) return undefined;
  const port = config.METRICS_PORT;
  return port > 0 ? port : undefined;
}

export function metricsFromEnv(): BrokerOptions["metrics"] {
  const port = metricsPort();
  if (port === undefined) return false;
  return {
    enabled: true,
    reporter: { type: "Prometheus", options: { port, path: "/metrics" } },
  };
}

/** Heartbeat settings in seconds; a node missing for `timeout` is dropped. */
export function heartbeatFromEnv(): Pick<BrokerOptions, "heartbeatInterval" | "heartbeatTimeout"> {
  return {
    heartbeatInterval: config.HEARTBEAT_INTERVAL,
    heartbeatTimeout: config.HEARTBEAT_TIMEOUT,
  };
}
