import type { IncomingMessage } from "node:http";
import { config } from "../config";

/**
 * Rate limit of the auth routes (the actions whose contract declares
 * `rateLimit: "auth"`: login, register): a fixed window per client address,
 * so password guessing and mass sign-ups are slow.
 *
 *   AUTH_RATE_LIMIT      requests per address per window (10)
 *   AUTH_RATE_WINDOW_MS  window length in ms (60000)
 *   TRUST_PROXY          "true" behind a reverse proxy: the client address is
 *                        the first X-Forwarded-For entry. Otherwise that header
 *                        is ignored, as any client could set it to dodge the limit.
 */
/** The client address a request counts against. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? "unknown";
}

/** moleculer-web `rateLimit` options for the auth route. */
export function authRateLimit() {
  const trustProxy = config.TRUST_PROXY;
  return {
    window: config.AUTH_RATE_WINDOW_MS,
    limit: config.AUTH_RATE_LIMIT,
    headers: true,
    key: (req: IncomingMessage) => clientAddress(req, trustProxy),
  };
}

/** Whole seconds until the window resets (at least 1), for the Retry-After header. */
export function retryAfterSeconds(resetTime: number | undefined, now: number = Date.now()): number {
  if (!resetTime || !Number.isFinite(resetTime)) return 1;
  return Math.max(1, Math.ceil((resetTime - now) / 1000));
}
