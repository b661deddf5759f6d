import os from "node:os";
import path from "node:path";
import type { Server } from "node:http";
import type { BrokerOptions, Errors, LogLevels, ServiceBroker } from "moleculer";
import { config, declareVariables } from "./platform/config";
import { transporterFromEnv } from "./platform/config/transporter";
import { keepParsedOptions } from "./platform/config/runner-env";
import { replCommands } from "./dev/repl-commands";
import { LogActivity, promptAfterStartup } from "./dev/repl-prompt";
import { ReplAuthHintMiddleware } from "./dev/repl-auth-hint";
import { demoProducts } from "./services/catalog/demo-products";
import { serviceVariables } from "./services/variables";
import { faultInjection } from "./dev/fault-injection";
import { deadNodeProbe } from "./platform/core/dead-node-probe";
import { NatsReconnectMiddleware } from "./platform/patches/moleculer/nats-reconnect";
import { stopBackstop } from "./platform/core/stop-backstop";
import {
  heartbeatFromEnv,
  metricsFromEnv,
  tracingFromEnv,
  UntracedInternalEventsMiddleware,
} from "./platform/observability/broker-observability";
import { logFormatter } from "./platform/observability/log-format";
import { RequestContextMiddleware } from "./platform/observability/request-context";
import { RequestRateMiddleware } from "./platform/observability/request-rate";
import { healthPort, startHealthServer } from "./platform/observability/health";
import { nodeProbeService } from "./platform/observability/node-probe";
import { closeServer } from "./platform/gateway/close-server";
import { ActionAccessMiddleware } from "./platform/security/access-middleware";
import { isNoEndpointError, refusedByNode, UNAVAILABLE_TYPE } from "./platform/gateway/unavailable";
import { RetryElsewhereMiddleware, RetryElsewhereStrategy } from "./platform/core/retry-elsewhere";

// Every service's variables, whichever services this node runs: parsed with the platform's at start.
declareVariables(serviceVariables);

/**
 * Broker options, shared by every Agora node. The settings come from
 * platform/config, which declares every environment variable (type, default,
 * doc) and parses them all on first use: a malformed one stops the node here,
 * at load, with a message naming it. The README's table lists them.
 */

function logLevelFromEnv(): BrokerOptions["logLevel"] {
  const parts = config.LOGLEVEL.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const levels: Record<string, LogLevels> = {};
  let global: LogLevels = "info";
  for (const part of parts) {
    const [module, name] = part.includes("=") ? part.split("=").map((s) => s.trim()) : ["**", part];
    // platform/config has checked that it is one of Moleculer's level names.
    const level = name.toLowerCase() as LogLevels;
    if (module === "**") global = level;
    else levels[module.toUpperCase()] = level;
  }
  return { ...levels, "**": global };
}

// The one write to the environment, and an input, not a setting: moleculer-runner
// reads SERVICEDIR from process.env itself (after loading this file) to find
// the *.service files, all of them or only the folders named in SERVICES
// (e.g. SERVICES=api,catalog). Defaulting it to the services folder beside
// this file makes the same command work for the TypeScript sources (dev) and
// the compiled dist/ (production). Agora's own code never reads it.
process.env.SERVICEDIR ??= path.join(__dirname, "services");

// Host name + pid is unique per process on one machine and per pod in a cluster.
const nodeID = config.NODE_ID ?? `${os.hostname()}-${process.pid}`;
const logFormat = config.LOG_FORMAT;
const production = config.NODE_ENV === "production";
const healthServers = new WeakMap<ServiceBroker, Server>();
// The REPL shows its prompt once start-up has stopped logging (dev/repl-prompt.ts).
const logActivity = new LogActivity();
const STOP_MARGIN_MS = 5_000;

const brokerOptions: BrokerOptions = {
  namespace: config.NAMESPACE,
  nodeID,

  logger: {
    type: "Console",
    options: {
      // JSON lines are for machines (log shippers); "short" is for people.
      // Ours add the request and trace id and redact secrets (platform/observability/log-format.ts);
      // any other Moleculer formatter name is passed through (the REPL prompt then waits for no line).
      formatter: logFormat === "json" || logFormat === "short" ? logActivity.watch(logFormatter(logFormat)) : logFormat,
      colors: !production,
      moduleColors: false,
      autoPadding: false,
    },
  },
  logLevel: logLevelFromEnv(),

  transporter: transporterFromEnv(nodeID),
  // JSON is readable on the wire (nats sub '>') and fast enough: the NATS hop,
  // not encoding, is what limits throughput on small payloads.
  serializer: "JSON",

  // 10 s covers a checkout (several hops plus a password hash) with margin;
  // anything slower is a fault that callers should see, not wait for.
  requestTimeout: config.REQUEST_TIMEOUT,

  // Retry only errors that say they are retryable (timeouts, node gone). Every
  // action that changes state is idempotent by key (orderId, sku, email), so a
  // retried call cannot apply twice. Not "no node offers it" (service not
  // found / not available): waiting 0.7 s in retries would only delay the 503
  // that tells the client to come back (docs/fault-isolation.md). Except a
  // node that refused the call (leaving, or restarted and not ready yet): another
  // replica may take it. A retry goes to a replica the call has not tried (RetryElsewhere).
  retryPolicy: {
    enabled: true,
    retries: 3,
    delay: 100,
    maxDelay: 1000,
    factor: 2,
    check: (err: Error) =>
      !!(err as Errors.MoleculerRetryableError).retryable && (!isNoEndpointError(err) || refusedByNode(err)),
  },

  // Spread calls round-robin over all instances, but use a local instance when
  // there is one: an in-process call costs microseconds, a NATS hop ~0.1 ms.
  // A retried call skips the replicas it already tried (platform/core/retry-elsewhere.ts).
  registry: {
    strategy: RetryElsewhereStrategy,
    preferLocal: true,
  },

  // Stop calling an endpoint that fails half of its calls (after 20 calls in a
  // minute) and probe it again after 10 s (CIRCUIT_BREAKER_*); Moleculer keeps one breaker per
  // endpoint (action on a node), and a probe that succeeds closes it. Only the
  // endpoint's own failures count: client errors (4xx) are the caller's fault,
  // and a 503 SERVICE_UNAVAILABLE is the endpoint answering correctly that a
  // service it needs is away (or replaying such a stored answer) — counting it
  // would switch off orders.checkout because payments was down.
  circuitBreaker: {
    enabled: true,
    threshold: config.CIRCUIT_BREAKER_THRESHOLD,
    minRequestCount: config.CIRCUIT_BREAKER_MIN_REQUESTS,
    windowTime: config.CIRCUIT_BREAKER_WINDOW,
    halfOpenTime: config.CIRCUIT_BREAKER_HALF_OPEN_MS,
    check: (err: Error) => {
      const { code, type } = err as Errors.MoleculerError;
      if (type === UNAVAILABLE_TYPE) return false;
      return typeof code !== "number" || code >= 500;
    },
  },

  // Cap concurrent executions per action so one hot action cannot starve the
  // event loop; excess calls queue instead of failing, up to a bounded queue.
  bulkhead: {
    enabled: true,
    concurrency: 100,
    maxQueueSize: 1000,
  },

  // Graceful shutdown: on SIGTERM a node stops taking new calls, waits for the
  // ones in flight (up to 10 s, below Kubernetes' 30 s grace period), then leaves.
  tracking: {
    enabled: true,
    shutdownTimeout: config.SHUTDOWN_TIMEOUT,
  },

  // Per-node memory cache. Writes broadcast "cache.clean.<service>" so every
  // node drops its copy (see mixins/db.mixin.ts). clone: callers get their own
  // copy and cannot corrupt the cached value by mutating it. Bounded (LRU,
  // CACHE_MAX entries): list results are cached per free-text query, so an
  // unbounded cache grows with every distinct query a client sends.
  cacher: {
    type: "MemoryLRU",
    options: { ttl: config.CACHE_TTL, max: config.CACHE_MAX, clone: true },
  },

  // fastest-validator: every action declares a params schema; see the
  // *.params.ts modules beside each service.
  validator: true,

  // Metrics (Prometheus on METRICS_PORT) and tracing (Jaeger) stay off until
  // configured, so they cost nothing here; see platform/observability/broker-observability.ts.
  metrics: metricsFromEnv(),
  tracing: tracingFromEnv(nodeID),
  ...heartbeatFromEnv(),

  // The request context keeps request/trace ids on log lines; the rate
  // meter feeds the /status page; Moleculer's $-events make no traces.
  // ActionAccess enforces each action's declared `auth` on the node that runs it (platform/security).
  middlewares: [
    RequestContextMiddleware,
    RequestRateMiddleware,
    UntracedInternalEventsMiddleware,
    ActionAccessMiddleware(),
    // A stop still under way SHUTDOWN_TIMEOUT + 5 s after SIGTERM/SIGINT ends the process with code 1,
    // saying what it waited for: the broker waits for calls in flight up to SHUTDOWN_TIMEOUT, and
    // cuts the gateway's and probes' connections after it; the rest takes well under a second.
    stopBackstop({ afterMs: config.SHUTDOWN_TIMEOUT + STOP_MARGIN_MS }),
    // After nats-server comes back: caches catch up, calls lost in the cut are sent again (nats-reconnect.ts).
    NatsReconnectMiddleware(),
    // A REPL call refused for want of `--#$system`: a hint instead of a stack (dev/repl-auth-hint.ts).
    ReplAuthHintMiddleware,
    // Each attempt of a call records its node, so that a retry goes to another replica.
    RetryElsewhereMiddleware(),
  ],

  // $node.observe on every node (for /status); a getter, because Moleculer
  // mixes its own $node schema into the object it is given.
  get internalServices() {
    return { $node: nodeProbeService() };
  },

  // moleculer-runner --repl and scripts/repl.ts start the REPL once the broker has started;
  // its prompt then waits for the start-up's last log line (dev/repl-prompt.ts).
  created(broker: ServiceBroker) {
    promptAfterStartup(broker, logActivity);
  },

  // HEALTH_PORT: /healthz and /readyz on every node, gateway or not.
  async started(broker: ServiceBroker) {
    const port = healthPort();
    if (port) healthServers.set(broker, await startHealthServer(broker, port));
  },
  async stopped(broker: ServiceBroker) {
    const server = healthServers.get(broker);
    // Cuts probe connections still open (a client that never finishes its request).
    if (server) await closeServer(server);
  },

  replOptions: {
    // The REPL's seed command resets the catalog's own demo set.
    customCommands: replCommands({ products: demoProducts }),
  },
};

// A call stuck on a node that died without a word fails over in about a second (platform/core/dead-node-probe.ts).
if (config.DEAD_NODE_PING_AFTER_MS > 0) {
  brokerOptions.middlewares = [
    ...(brokerOptions.middlewares ?? []),
    deadNodeProbe({ afterMs: config.DEAD_NODE_PING_AFTER_MS, timeoutMs: config.DEAD_NODE_PING_TIMEOUT_MS }),
  ];
}

// Test-only fault injection (docs/fault-injection.md): loaded only when FAULTS or FAULTS_FILE is set.
if (config.FAULTS || config.FAULTS_FILE)
  brokerOptions.middlewares = [...(brokerOptions.middlewares ?? []), faultInjection()];

export default keepParsedOptions(brokerOptions, ["transporter", "logLevel", "internalServices"]);
