import { bool, int, list, oneOf, string } from "./variable";

/** The REST gateway (services/api) and what it exposes. */
export const gatewayVariables = {
  PORT: int({ default: 3000, min: 0, max: 65535, doc: "gateway port (`0` picks a free one)" }),
  HOST: string({ default: "0.0.0.0", doc: "gateway address" }),
  CORS_ORIGINS: list({ doc: "comma list of allowed origins, or `*`" }),
  BODY_LIMIT: string({ default: "100kb", doc: "largest JSON request body" }),
  ACCESS_LOG: bool({
    default: false,
    doc: "`true`: an info line per HTTP response (costs throughput: bench/README.md)",
  }),
  AUTH_RATE_LIMIT: int({ default: 10, min: 1, doc: "login and register requests per client address per window" }),
  AUTH_RATE_WINDOW_MS: int({ default: 60_000, min: 1, doc: "the window of `AUTH_RATE_LIMIT`, in ms" }),
  UNAVAILABLE_RETRY_AFTER: int({
    default: 5,
    min: 1,
    doc: "seconds a `503` (a service it needs is away or its circuit open) asks the client to wait: `Retry-After`",
  }),
  TRUST_PROXY: bool({
    default: false,
    doc: "behind a proxy: the client address is the first `X-Forwarded-For` entry",
  }),
  GATEWAY_CACHE: bool({
    default: true,
    doc: "product reads answered at the gateway from its own cache, cleared by the writes' events (docs/benchmarks.md)",
  }),
  STATUS_PAGE: oneOf(["public", "admin", "off"], {
    default: (mode) => (mode.production ? "admin" : "public"),
    defaultDoc: "`admin` when `NODE_ENV=production`, else `public`",
    // Spellings accepted before STATUS_PAGE was an enum.
    aliases: { true: "public", on: "public", false: "off", "0": "off" },
    doc: "`/status`: `public`, `admin` (data needs an admin token) or `off`",
  }),
};
