/**
 * Cookies of the storefront. The session token is HttpOnly (page scripts
 * never see it), SameSite=Lax (sent on top-level navigation, not on
 * cross-site form posts or subresource requests) and Secure whenever the
 * site is not served from the local machine.
 */
export const SESSION_COOKIE = "agora_session";
export const CSRF_COOKIE = "agora_csrf";
export const CHECKOUT_COOKIE = "agora_checkout";
/** A message for the next page the browser shows (after a redirect): a key of NOTICES, never text. */
export const NOTICE_COOKIE = "agora_notice";

/** What the next page says after registering or logging out. */
export const NOTICES = {
  welcome: "Welcome! Your account is ready and you are signed in.",
  "signed-out": "You are signed out. See you soon!",
} as const;
export type NoticeKey = keyof typeof NOTICES;

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A value we did not write (bad percent-encoding) is ignored, like a missing cookie.
    }
  }
  return out;
}

export interface CookieOptions {
  secure: boolean;
  path?: string;
  sameSite?: "Lax" | "Strict";
  /** Seconds; 0 deletes the cookie; absent means until the browser closes. */
  maxAge?: number;
}

export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${opts.path ?? "/"}`, "HttpOnly"];
  parts.push(`SameSite=${opts.sameSite ?? "Lax"}`);
  if (opts.secure) parts.push("Secure");
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${opts.maxAge}`);
  return parts.join("; ");
}

/**
 * Secure unless the browser talks to this machine: a Secure cookie is not
 * stored over plain http, and http://localhost:3000 is how `npm run dev` is
 * opened. Browsers treat localhost as a secure context, so nothing leaks.
 */
export function isLocalHost(hostHeader: string | undefined): boolean {
  const host = (hostHeader ?? "").toLowerCase().replace(/:\d+$/, "");
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host.endsWith(".localhost");
}
