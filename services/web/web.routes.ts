import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "moleculer";
import type { ApiRouteSchema } from "moleculer-web";
import type { WebRequestInfo } from "../../contracts/web";
import { errorDocument } from "./pages/errors";
import { retryAfterSeconds } from "../../platform/gateway/auth-rate-limit";
import { retryAfterUnavailable } from "../../platform/gateway/unavailable";
import { formBody } from "../../platform/gateway/request-guard";
import { WEB_PAGES, type WebPage } from "./web.pages";
import { assets } from "./domain/assets";

type RateLimitedRequest = IncomingMessage & { $route?: { rateLimit?: { store?: { resetTime?: number } } } };

/**
 * How the gateway exposes the storefront: page URLs → web actions, from the
 * page table (web.pages.ts). The pages live at the site's root; the JSON API
 * keeps /api/v1 with Bearer tokens, and no web action is reachable under it
 * (web actions declare no `rest`).
 *
 * Login and register posts get a route of their own so that they share the
 * API's per-address rate limit (moleculer-web limits per route).
 */
function aliases(signIn: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, page] of Object.entries(WEB_PAGES) as [string, WebPage<unknown>][]) {
    if (page.url && Boolean(page.signIn) === signIn) out[page.url] = `web.${name}`;
  }
  return out;
}

export const PAGE_ALIASES: Record<string, string> = { ...aliases(false), "GET /assets/:file": "web.asset" };

export const SIGN_IN_ALIASES: Record<string, string> = aliases(true);

export const FAVICON_PATH = "/favicon.ico";

/**
 * Browsers ask for /favicon.ico whatever the page links: the site's icon (an
 * SVG, which they read by its type), cached a day (its URL has no hash).
 */
export const faviconResponses = {
  [`GET ${FAVICON_PATH}`]: { "200": { description: "The site's icon (SVG)", type: "image/svg+xml" } },
};

export const FAVICON_ALIAS = {
  [`GET ${FAVICON_PATH}`](_req: IncomingMessage, res: ServerResponse) {
    res.setHeader("Content-Type", assets.icon.type);
    res.setHeader("Cache-Control", "public, max-age=86400");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.end(assets.icon.body);
  },
};

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The request facts a page needs (cookies, origin headers), for ctx.meta.http. */
export function requestInfo(req: IncomingMessage & { originalUrl?: string }): WebRequestInfo {
  return {
    method: req.method ?? "GET",
    url: req.originalUrl ?? req.url ?? "/",
    host: header(req, "host"),
    cookie: header(req, "cookie"),
    origin: header(req, "origin"),
    referer: header(req, "referer"),
    secFetchSite: header(req, "sec-fetch-site"),
  };
}

/** An error page for a failure before the web service answered (it is down, a body too large, a rate limit). */
export function sendErrorPage(res: ServerResponse, err: { code?: unknown; name?: string }, retryAfterS?: number): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const code = typeof err.code === "number" ? err.code : 500;
  const status =
    err.name === "ServiceNotFoundError" || err.name === "ServiceUnavailableError" || err.name === "RequestTimeoutError"
      ? 503
      : code === 429 || code === 404
        ? code
        : code >= 400 && code < 500
          ? 400
          : code === 503
            ? 503
            : 500;
  const retry = retryAfterS ?? retryAfterUnavailable();
  res.statusCode = status;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Content-Type-Options", "nosniff");
  if (status === 503 || status === 429) res.setHeader("Retry-After", String(retry));
  res.end(errorDocument(status, retry));
}

/** True for a URL the storefront answers (everything outside the API, docs and probes). */
export function isPageUrl(url: string | undefined): boolean {
  const path = (url ?? "/").split("?")[0];
  return !/^\/(api|healthz|readyz|status|status\.json|metrics)(\/|$|\.)/.test(path);
}

/** moleculer-web routes of the storefront; `extra` adds the gateway's own options (a rate limit). */
export function pageRoute(
  name: string,
  aliases: Record<string, string | ((req: IncomingMessage, res: ServerResponse) => void)>,
  timeoutMs: number,
  extra: Partial<ApiRouteSchema> = {},
): ApiRouteSchema {
  return {
    name,
    path: "/",
    mappingPolicy: "restrict",
    // Forms only. A body that does not decompress is a 400 page, not a 500 (request-guard.ts formBody).
    bodyParsers: false,
    use: [formBody({ limit: "32kb" })],
    aliases,
    callOptions: { timeout: timeoutMs },
    onBeforeCall(ctx: Context<unknown, { http?: WebRequestInfo }>, _route: unknown, req: IncomingMessage) {
      ctx.meta.http = requestInfo(req);
    },
    onError(req: RateLimitedRequest, res: ServerResponse, err: { code?: unknown; name?: string }) {
      sendErrorPage(
        res,
        err,
        err.code === 429 ? retryAfterSeconds(req.$route?.rateLimit?.store?.resetTime) : undefined,
      );
    },
    ...extra,
  } as ApiRouteSchema;
}
