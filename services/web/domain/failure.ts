/** How a page answers an error from a call it made. */
export type Failure =
  | { kind: "login" }
  | { kind: "forbidden" }
  | { kind: "not-found" }
  | { kind: "bad-request" }
  | { kind: "unavailable"; retryAfterS: number }
  | { kind: "server-error" };

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

/** `retryAfterS`: what the shop asks a client to wait when nothing says how long a service stays away. */
export function classifyFailure(err: unknown, retryAfterS: number): Failure {
  const e = (err ?? {}) as { name?: string; code?: number; data?: unknown };
  const data = (e.data && typeof e.data === "object" ? e.data : {}) as { retryAfter?: unknown };
  const wait = typeof data.retryAfter === "number" && data.retryAfter > 0 ? data.retryAfter : retryAfterS;
  if (e.name && UNAVAILABLE.has(e.name)) return { kind: "unavailable", retryAfterS: wait };
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
      return { kind: "unavailable", retryAfterS: wait };
    default:
      return { kind: "server-error" };
  }
}

/** A local path to return to after logging in; anything else (another site, `//host`) becomes "/". */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next.slice(0, 2000);
}
