import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Cross-site request forgery defence for every state-changing form: a signed
 * double-submit token plus an origin check.
 *
 * Each browser gets a random nonce in an HttpOnly cookie; forms carry
 * HMAC(key, nonce). A POST is accepted only when the form's token is the
 * signature of the cookie's nonce, so a page on another site (which can
 * neither read our cookie nor compute the signature) cannot forge one, and
 * neither can a cookie planted by a sibling subdomain. Independently, a
 * request whose Origin (or, without one, Referer / Sec-Fetch-Site) names
 * another site is refused.
 */
export function newNonce(): string {
  return randomBytes(24).toString("base64url");
}

export function csrfToken(key: Buffer, nonce: string): string {
  return createHmac("sha256", key).update(`csrf:${nonce}`).digest("base64url");
}

export function validCsrfToken(key: Buffer, nonce: string | undefined, token: string | undefined): boolean {
  if (!nonce || !token) return false;
  const expected = Buffer.from(csrfToken(key, nonce));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface RequestOrigin {
  host?: string;
  origin?: string;
  referer?: string;
  secFetchSite?: string;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/** False when the browser tells us the request comes from another site. */
export function sameOrigin(req: RequestOrigin): boolean {
  const host = (req.host ?? "").toLowerCase();
  if (req.origin && req.origin !== "null") return hostOf(req.origin) === host;
  if (req.origin === "null") return false;
  if (req.secFetchSite) return req.secFetchSite === "same-origin" || req.secFetchSite === "none";
  if (req.referer) return hostOf(req.referer) === host;
  // An old client that sends none of them: the token alone decides.
  return true;
}
