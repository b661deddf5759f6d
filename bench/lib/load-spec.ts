/** What the load generator (bench/lib/load.ts, wrk) is asked to do, and what it reports. */

export interface Step {
  /** Name the latencies of this step are reported under (per-route p99). */
  route: string;
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the user's Bearer token (only with `users`). */
  auth?: boolean;
  /** Send a fresh Idempotency-Key header on every request. */
  idempotencyKey?: boolean;
}

export interface LoadSpec {
  url: string;
  connections: number;
  durationSec: number;
  warmupSec: number;
  timeoutSec?: number;
  /** Each connection cycles through these requests in order. */
  sequence: Step[];
  /** One connection per user, each with its own token; `{name}` in a step's path is replaced by vars[name]. */
  users?: { token: string; vars?: Record<string, string> }[];
}

export interface RouteStats {
  count: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  non2xx: number;
  statuses: Record<string, number>;
}

export interface LoadResult extends RouteStats {
  durationSec: number;
  connections: number;
  /** Connection errors (refused, reset). */
  errors: number;
  timeouts: number;
  /** The measured part, in µs of the monotonic clock (the time base of V8 CPU profiles). */
  windowUs: [number, number];
  routes: Record<string, RouteStats>;
}
