import { int, list, number, oneOf, string } from "./variable";

/** The broker and its transport: what every node needs to join the cluster. */
export const brokerVariables = {
  NODE_ENV: string({
    default: "development",
    doc: "`production` switches on JSON logs, probes, metrics and the admin-only status page",
  }),
  NAMESPACE: string({ default: "agora", doc: "cluster name; nodes only see nodes of the same namespace" }),
  NODE_ID: string({ defaultDoc: "host name + pid", doc: "unique node name" }),
  LOGLEVEL: string({
    default: "info",
    pattern:
      /^\s*(?:[\w.*-]+\s*=\s*)?(?:fatal|error|warn|info|debug|trace)\s*(?:,\s*(?:[\w.*-]+\s*=\s*)?(?:fatal|error|warn|info|debug|trace)\s*)*$/i,
    accepts: "a level (fatal, error, warn, info, debug, trace), or a comma list such as info,CATALOG=debug",
    doc: "`info`, or per module: `info,CATALOG=debug,TRANSIT=warn`",
  }),
  LOG_FORMAT: oneOf(["json", "short", "full", "simple"], {
    default: (mode) => (mode.production ? "json" : "short"),
    defaultDoc: "`json` when `NODE_ENV=production`, else `short`",
    doc: "log line format",
  }),
  SERVICES: list({
    defaultDoc: "all",
    doc: "comma list of services this node runs, e.g. `api,catalog` (read by moleculer-runner)",
  }),
  TRANSPORTER: string({ doc: "e.g. `nats://127.0.0.1:4222` (comma list for several servers)" }),
  NATS_USER: string({ doc: "NATS user name" }),
  NATS_PASSWORD: string({ doc: "NATS password" }),
  NATS_TOKEN: string({ doc: "NATS token (instead of user and password)" }),
  NATS_RECONNECT_WAIT: int({ default: 1000, min: 1, doc: "ms between reconnect attempts (they never stop)" }),
  NATS_PING_INTERVAL: int({
    default: 20_000,
    min: 100,
    doc: "ms between pings; 3 unanswered mean the connection is lost",
  }),
  REQUEST_TIMEOUT: int({ default: 10_000, min: 0, doc: "ms before a call fails (`0`: never)" }),
  SHUTDOWN_TIMEOUT: int({
    default: 10_000,
    min: 0,
    doc: "ms a stopping node waits for calls in flight; a stop not done 5 s after that exits with code 1",
  }),
  CACHE_TTL: int({ default: 30, min: 0, doc: "seconds a cached read lives (writes clear it on every node)" }),
  CACHE_MAX: int({
    default: 1000,
    min: 1,
    doc: "cached reads kept per node, least recently used dropped first (one per distinct list query)",
  }),
  HEARTBEAT_INTERVAL: int({ default: 10, min: 1, doc: "seconds between heartbeats" }),
  HEARTBEAT_TIMEOUT: int({ default: 30, min: 1, doc: "seconds; a node silent this long is dropped from the cluster" }),
  CIRCUIT_BREAKER_THRESHOLD: number({
    default: 0.5,
    min: 0.01,
    max: 1,
    doc: "share of failed calls that switches an endpoint (an action on a node) off",
  }),
  CIRCUIT_BREAKER_MIN_REQUESTS: int({
    default: 20,
    min: 1,
    doc: "calls to an endpoint within the window before its breaker judges it",
  }),
  CIRCUIT_BREAKER_WINDOW: int({ default: 60, min: 1, doc: "seconds after which the breakers' counts start again" }),
  CIRCUIT_BREAKER_HALF_OPEN_MS: int({
    default: 10_000,
    min: 1,
    doc: "ms an open breaker waits before one call probes the endpoint (success closes it)",
  }),
  DEAD_NODE_PING_AFTER_MS: int({
    default: 300,
    min: 0,
    doc: "ms a call may wait on another node before that node is pinged (`0`: off)",
  }),
  DEAD_NODE_PING_TIMEOUT_MS: int({
    default: 700,
    min: 1,
    doc: "no pong within this many ms: the node is dropped at once and its calls retried elsewhere",
  }),
  FAULTS: string({ doc: "tests only: make actions fail or the process crash, see docs/fault-injection.md" }),
  FAULTS_FILE: string({
    doc: "tests only: a file of more `FAULTS` rules, read again at every call (docs/fault-injection.md)",
  }),
  DEMO_STOCK: int({
    default: 50,
    min: 0,
    doc: "units the REPL's `seed` and `npm run dev` give each product",
  }),
};
