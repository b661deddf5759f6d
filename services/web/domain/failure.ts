/** How a page answers an error from a call it made. */
export type Failure =
  | { kind: "login" }
  | { kind: "forbidden" }
  | { kind: "not-found" }
  | { kind: "bad-request" }
  | { kind: "unavailable"; retryAfterS: number }
  | { kind: "server-error" };

/** When nothing says how long a missing service will stay away. */
export const RETRY_AFTER_S = 10;

// Moleculer's "no node runs it", "timed out", "circuit open" and friends: a
// dependency is away, not a bug. ServiceNotFoundError carries code 404, so
// names are checked before codes.
const UNAVAILABLE = new Set([
  "ServiceNotFoundError",
  "ServiceNotAvailableError",
  "RequestTimeoutError",
  "RequestRejectedError",
  "QueueIsFullError",
  "BrokerDisconnectedError",
]);

export function classifyFailure(err: unknown): Failure {
  const e = (err ?? {}) as { name?: string; code?: number; data?: unknown };
  const data = (e.data && typeof e.data === "object" ? e.data : {}) as { retryAfter?: unknown };
  const retryAfterS = typeof data.retryAfter === "number" && data.retryAfter > 0 ? data.retryAfter : RETRY_AFTER_S;
  if (e.name && UNAVAILABLE.has(e.name)) return { kind: "unavailable", retryAfterS };
  switch (e.code) {
    case 401:
      return { kind: "login" };
    case 403:
      return { kind: "forbidden" };
    case 404:
      return { kind: "not-found" };
    case 400:
    case 422:
      return { kind: "bad-request" };
    case 502:
    case 503:
    case 504:
      return { kind: "unavailable", retryAfterS };
    default:
      return { kind: "server-error" };
  }
}

/** A local path to return to after logging in; anything else (another site, `//host`) becomes "/". */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next.slice(0, 2000);
}
