import { bool, int, number, string } from "./variable";

/** Logs aside (see the broker), how a node is watched: traces, metrics, probes. */
export const observabilityVariables = {
  JAEGER_ENDPOINT: string({
    doc: "send traces to Jaeger's collector, Thrift over HTTP: `http://jaeger:14268/api/traces`",
  }),
  JAEGER_AGENT_HOST: string({ doc: "or send them over UDP to a Jaeger agent on this host" }),
  JAEGER_AGENT_PORT: int({ default: 6832, min: 1, max: 65535, doc: "the Jaeger agent's UDP port" }),
  TRACING_SAMPLE_RATE: number({
    default: 1,
    min: 0,
    max: 1,
    doc: "share of requests traced, `0`..`1` (an incoming `traceparent` decides for itself)",
  }),
  METRICS: bool({ default: true, doc: "`false` turns Prometheus metrics off whatever `METRICS_PORT` says" }),
  METRICS_PORT: int({
    default: (mode) => (mode.production ? 3030 : 0),
    defaultDoc: "`3030` when `NODE_ENV=production`, else off",
    min: 0,
    max: 65535,
    doc: "Prometheus `/metrics` of the node (`0`: off)",
  }),
  AGORA_VERSION: string({
    default: "dev",
    doc: "the version `/healthz` reports (the Docker image sets it at build time: `--build-arg AGORA_VERSION`)",
  }),
  HEALTH_PORT: int({
    default: (mode) => (mode.production ? 3001 : 0),
    defaultDoc: "`3001` when `NODE_ENV=production`, else off",
    min: 0,
    max: 65535,
    doc: "`/healthz` and `/readyz` of the node (`0`: off)",
  }),
};
