import { createHash, randomBytes } from "node:crypto";
import type { Context } from "moleculer";
import { call, type Caller, type RequestMeta } from "../../contracts";
import type { WebRequestInfo } from "../../contracts/web";
import { retryAfterUnavailable } from "../../platform/gateway/unavailable";
import {
  CSRF_COOKIE,
  isLocalHost,
  NOTICE_COOKIE,
  NOTICES,
  type NoticeKey,
  parseCookies,
  serializeCookie,
  SESSION_COOKIE,
  type CookieOptions,
} from "./domain/cookies";
import { csrfToken, newNonce, sameOrigin, validCsrfToken } from "./domain/csrf";
import { classifyFailure, type Failure } from "./domain/failure";
import { layout, type Chrome, type View } from "./pages/layout";
import {
  expiredFormView,
  forbiddenView,
  badRequestView,
  notFoundView,
  serverErrorView,
  unavailableView,
} from "./pages/errors";

/** The request as a page handler sees it. */
export interface WebRequest<P = Record<string, string | undefined>> {
  /** Calls made with it carry the signed-in user (ctx.meta.user). */
  ctx: Context<unknown, RequestMeta>;
  params: P;
  user: Caller | null;
  chrome: Chrome;
  cookies: Record<string, string>;
  /** Path and query of this request. */
  url: string;
  setCookie(name: string, value: string, opts?: Omit<CookieOptions, "secure">): void;
  /** Says `key`'s message on the next page shown (the one a redirect leads to). */
  notify(key: NoticeKey): void;
}

export type Reply = { view: View } | { redirect: string };

export type Handler<P> = (req: WebRequest<P>) => Promise<Reply>;

/** Thrown by handlers to answer with a failure page (or the login redirect). */
export class PageFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.kind);
  }
}

export function requireUser(req: WebRequest<unknown>): Caller {
  if (!req.user) throw new PageFailure({ kind: "login" });
  return req.user;
}

export function requireAdmin(req: WebRequest<unknown>): Caller {
  const user = requireUser(req);
  if (user.role !== "admin") throw new PageFailure({ kind: "forbidden" });
  return user;
}

/**
 * The key that signs form tokens. It must be the same on every web node, so it
 * derives from JWT_SECRET (in compose and Kubernetes web runs in the gateway's
 * container, which has it);
 * without one (development) it is random per process.
 */
export function csrfKey(secret: string | undefined): Buffer {
  if (!secret) return randomBytes(32);
  return createHash("sha256").update(`agora-web-csrf\0${secret}`).digest();
}

type Meta = RequestMeta & { http?: WebRequestInfo };
type HeaderMeta = { $responseHeaders?: Record<string, string | string[]> };

const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  // Pages show a person's cart and orders: never cached by browsers or proxies.
  "Cache-Control": "no-store",
};

export interface OpenOptions {
  key: Buffer;
  /** A form post: its token and origin are checked before the handler runs. */
  form?: boolean;
  /** GET pages show the cart's size in the header; redirects do not need it. */
  cartCount?: boolean;
  logger: { warn(...args: unknown[]): void };
}

/** Turns an action call from the page routes into a WebRequest, runs the handler and writes the answer. */
export async function servePage<P>(
  ctx: Context<P, RequestMeta>,
  handler: Handler<P>,
  opts: OpenOptions,
): Promise<string | null> {
  const meta = ctx.meta as Meta;
  const http: WebRequestInfo = meta.http ?? { method: "GET", url: "/" };
  const cookies = parseCookies(http.cookie);
  const secure = !isLocalHost(http.host);
  const setCookies: string[] = [];
  const setCookie = (name: string, value: string, o: Omit<CookieOptions, "secure"> = {}) =>
    setCookies.push(serializeCookie(name, value, { ...o, secure }));

  let nonce = cookies[CSRF_COOKIE];
  if (!nonce || nonce.length > 100) {
    nonce = newNonce();
    setCookie(CSRF_COOKIE, nonce);
  }
  const chrome: Chrome = { user: null, csrf: csrfToken(opts.key, nonce), cartCount: null };
  const pending = cookies[NOTICE_COOKIE];
  if (pending !== undefined && !opts.form) {
    chrome.notice = Object.hasOwn(NOTICES, pending) ? NOTICES[pending as NoticeKey] : undefined;
    setCookie(NOTICE_COOKIE, "", { maxAge: 0 });
  }
  const req: WebRequest<P> = {
    ctx: ctx as Context<unknown, RequestMeta>,
    params: ctx.params,
    user: null,
    chrome,
    cookies,
    url: http.url,
    setCookie,
    notify: (key) => setCookie(NOTICE_COOKIE, key, { maxAge: 60 }),
  };

  let reply: Reply;
  try {
    if (opts.form) {
      const token = (ctx.params as { _csrf?: string })._csrf;
      if (!sameOrigin(http) || !validCsrfToken(opts.key, cookies[CSRF_COOKIE], token)) {
        return finish(ctx, chrome, setCookies, { view: expiredFormView() });
      }
    }
    req.user = chrome.user = await sessionUser(req, opts.logger);
    ctx.meta.user = req.user;
    if (req.user && opts.cartCount) chrome.cartCount = await cartCount(req);
    reply = await handler(req);
  } catch (err) {
    reply = failureReply(req, err, opts.logger);
  }
  return finish(ctx, chrome, setCookies, reply);
}

/** The signed-in user from the session cookie; an expired or forged token just signs the browser out. */
async function sessionUser(req: WebRequest<unknown>, logger: OpenOptions["logger"]): Promise<Caller | null> {
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return null;
  let user: Caller | null = null;
  try {
    user = token.length <= 4096 ? await call(req.ctx, "users.resolveToken", { token }) : null;
  } catch (err) {
    // Without the users service nobody can be recognised; the shop still browses.
    logger.warn("Session not resolved:", (err as Error).message);
    return null;
  }
  if (!user) req.setCookie(SESSION_COOKIE, "", { maxAge: 0 });
  return user;
}

async function cartCount(req: WebRequest<unknown>): Promise<number | null> {
  try {
    const cart = await call(req.ctx, "cart.get", {}, { timeout: 1000, retries: 0 });
    return cart.items.reduce((n, line) => n + line.quantity, 0);
  } catch {
    return null;
  }
}

/** The login form's `next` field takes 2,000 characters (contracts/web.ts). */
const MAX_NEXT = 2_000;

/**
 * The sign-in redirect back to this page; without its query when the whole
 * URL is too long to come back through the login form (a 16 KB query would
 * also make a Location header no client reads), without `next` at all when
 * even the path is.
 */
export function loginRedirect(url: string): string {
  for (const next of [url, url.split("?")[0]]) {
    const encoded = encodeURIComponent(next);
    if (encoded.length <= MAX_NEXT) return `/login?next=${encoded}`;
  }
  return "/login";
}

function failureReply(req: WebRequest<unknown>, err: unknown, logger: OpenOptions["logger"]): Reply {
  const failure = err instanceof PageFailure ? err.failure : classifyFailure(err, retryAfterUnavailable());
  switch (failure.kind) {
    case "login":
      return { redirect: loginRedirect(req.url) };
    case "forbidden":
      return { view: forbiddenView() };
    case "not-found":
      return { view: notFoundView() };
    case "bad-request":
      return { view: badRequestView() };
    case "unavailable":
      return { view: unavailableView(failure.retryAfterS) };
    default:
      logger.warn("Page failed:", (err as Error)?.message);
      return { view: serverErrorView() };
  }
}

function finish(ctx: Context<unknown, RequestMeta>, chrome: Chrome, setCookies: string[], reply: Reply): string | null {
  const headers: Record<string, string | string[]> = { ...SECURITY_HEADERS };
  if (setCookies.length) headers["Set-Cookie"] = setCookies;
  (ctx.meta as HeaderMeta).$responseHeaders = headers;
  if ("redirect" in reply) {
    // 303: the browser follows with a GET, so a reload never re-posts a form.
    ctx.meta.$statusCode = 303;
    ctx.meta.$location = reply.redirect;
    return null;
  }
  const status = reply.view.status ?? 200;
  ctx.meta.$statusCode = status;
  if (reply.view.retryAfterS) headers["Retry-After"] = String(reply.view.retryAfterS);
  ctx.meta.$responseType = "text/html; charset=utf-8";
  return layout(chrome, reply.view);
}

/** For a page named by an id in its URL: an id of the wrong shape is a missing page, not a bad request. */
export function notFoundIfInvalid(err: unknown): never {
  if ((err as { code?: number }).code === 422) throw new PageFailure({ kind: "not-found" });
  throw err;
}
