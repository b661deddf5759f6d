import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context, ServiceSchema } from "moleculer";
import ApiGateway, { type ApiRouteSchema, type ApiSettingsSchema } from "moleculer-web";
import serveStatic from "serve-static";
import { config } from "../../platform/config";
import { call, serviceContracts, type Caller } from "../../contracts";
import { declaredActions } from "../../platform/contracts/declared";
import { authRateLimit } from "../../platform/gateway/auth-rate-limit";
import { gatewayMixin, type GatewayRequest } from "../../platform/gateway/gateway.mixin";
import { DOCS_PATH, docsHtml, docsInitScript, docsResponses, swaggerUiDir } from "../../platform/gateway/docs-page";
import { requestCallOptions } from "../../platform/gateway/request-ids";
import { readPathMixin } from "../../platform/gateway/read-path.mixin";
import { guardBody, jsonBody } from "../../platform/gateway/request-guard";
import { statusAliases, statusResponses } from "../../platform/observability/status/status-routes";
import {
  FAVICON_ALIAS,
  faviconResponses,
  isPageUrl,
  PAGE_ALIASES,
  pageRoute,
  sendErrorPage,
  SIGN_IN_ALIASES,
} from "../web/web.routes";

type Req = GatewayRequest & { originalUrl?: string };
type Meta = { user?: Caller | null; $statusCode?: number };
/**
 * moleculer-web also takes a function for rootCallOptions (called per
 * request, src/index.js); its typings know only the object form.
 */
type GatewaySettings = Omit<ApiSettingsSchema, "rootCallOptions"> & {
  rootCallOptions?: ApiSettingsSchema["rootCallOptions"] | typeof requestCallOptions;
};

/**
 * The REST gateway. It exposes only actions that declare both a `rest` route
 * and an `auth` level in their own schema, all under /api/v1.
 *
 *   PORT          listening port (3000; 0 picks a free one)
 *   HOST          listening address (0.0.0.0)
 *   CORS_ORIGINS  comma list of allowed origins, or * (none: no CORS headers)
 *   BODY_LIMIT    largest accepted JSON body (100kb)
 */
const corsOrigins = config.CORS_ORIGINS;

/** The actions whose contract puts them under the auth rate limit (login, sign-up). */
const AUTH_ACTIONS = declaredActions(serviceContracts, (def) => def.rateLimit === "auth");
const resolveCaller = (ctx: Context, token: string) => call(ctx, "users.resolveToken", { token });

/**
 * The /api/v1 routes. Aliases come from the `rest` declarations of the
 * actions themselves; no action without one is reachable ("restrict"),
 * authenticate() turns a Bearer token into ctx.meta.user, and authorize()
 * refuses any action that does not declare who may call it. The auth actions
 * get a route of their own only because moleculer-web rate-limits per route.
 */
function v1Route(extra: Partial<ApiRouteSchema>): ApiRouteSchema {
  return {
    path: "/api/v1",
    autoAliases: true,
    mappingPolicy: "restrict",
    authentication: true,
    authorization: true,
    // JSON only; a body that is not JSON is a 415, a too deep or too large one never reaches the validator.
    bodyParsers: false,
    use: [jsonBody({ limit: config.BODY_LIMIT }), guardBody],
    callOptions: { timeout: config.REQUEST_TIMEOUT },
    onBeforeCall(ctx: Context<unknown, { idempotencyKey?: string }>, _route: unknown, req: Req) {
      // POST /orders reads its Idempotency-Key from meta; the action validates it.
      const key = req.headers["idempotency-key"];
      if (typeof key === "string") ctx.meta.idempotencyKey = key;
    },
    onAfterCall(ctx: Context<unknown, Meta>, _route: unknown, req: Req, _res: unknown, data: unknown) {
      // An action declares its success status (e.g. 201) in its schema; OpenAPI documents the same value.
      if (req.$action?.restStatus && !ctx.meta.$statusCode) ctx.meta.$statusCode = req.$action.restStatus;
      return data;
    },
    ...extra,
  } as ApiRouteSchema;
}

const json = (res: ServerResponse, type: string, body: string) => {
  res.setHeader("Content-Type", type);
  res.end(body);
};

const ApiService: ServiceSchema<GatewaySettings> = {
  name: "api",
  mixins: [
    // First, so that its callAction (product reads from the gateway's cache) wraps moleculer-web's.
    readPathMixin(serviceContracts),
    gatewayMixin({
      resolveCaller,
      contracts: serviceContracts,
      openApi: {
        title: "Agora API",
        version: "1",
        description: "Generated from the gateway's routes and each action's parameter schema.",
        // The storefront's pages answer HTML, not the API.
        documents: (alias) => !alias.action?.startsWith("web."),
        routes: { ...statusResponses, ...docsResponses, ...faviconResponses },
      },
    }),
  ],

  settings: {
    port: config.PORT,
    ip: config.HOST,
    cors: corsOrigins.length
      ? {
          origin: corsOrigins.includes("*") ? "*" : corsOrigins,
          methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
          allowedHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id", "traceparent"],
          exposedHeaders: ["X-Request-Id", "X-Trace-Id", "Retry-After"],
          maxAge: 600,
        }
      : undefined,
    // No line per request at info: writing them (stdout is synchronous) was a
    // third of the gateway's CPU under load (bench/README.md). Request rates
    // and latencies are in the metrics, slow requests in the traces; ACCESS_LOG=true
    // logs one line per response ("<= 200 GET /path [+1.2 ms]"), LOGLEVEL=info,API=debug all.
    logRequest: "debug",
    logResponse: config.ACCESS_LOG ? "info" : "debug",
    // Request params and response bodies can carry passwords and tokens.
    logRequestParams: null,
    logResponseData: null,
    log4XXResponses: false,
    // Request id and trace context from X-Request-Id / traceparent (request-ids.ts).
    rootCallOptions: requestCallOptions,

    routes: [
      v1Route({ name: "auth", whitelist: AUTH_ACTIONS, rateLimit: authRateLimit() }),
      v1Route({ name: "v1", blacklist: AUTH_ACTIONS }),
      {
        // The OpenAPI document, generated per request from the live alias table.
        path: "/api",
        mappingPolicy: "restrict",
        bodyParsers: { json: false },
        aliases: {
          "GET openapi.json"(this: { openApiDocument(): object }, _req: IncomingMessage, res: ServerResponse) {
            json(res, "application/json; charset=utf-8", JSON.stringify(this.openApiDocument()));
          },
        },
      },
      {
        path: DOCS_PATH,
        mappingPolicy: "restrict",
        bodyParsers: { json: false },
        use: [serveStatic<ServerResponse>(swaggerUiDir(), { index: false, redirect: false })],
        aliases: {
          "GET /"(_req: IncomingMessage, res: ServerResponse) {
            json(res, "text/html; charset=utf-8", docsHtml);
          },
          "GET agora-init.js"(_req: IncomingMessage, res: ServerResponse) {
            json(res, "text/javascript; charset=utf-8", docsInitScript);
          },
        },
      },
      {
        // Named: moleculer-web takes unnamed routes with the same path for one.
        name: "status",
        path: "/",
        mappingPolicy: "restrict",
        bodyParsers: { json: false },
        // /healthz, /readyz, /status, /status.json (status-routes.ts)
        aliases: statusAliases(resolveCaller),
      },
      // The storefront's pages (services/web); the sign-in posts share the auth rate limit.
      pageRoute("pages", { ...PAGE_ALIASES, ...FAVICON_ALIAS }, config.REQUEST_TIMEOUT),
      pageRoute("sign-in", SIGN_IN_ALIASES, config.REQUEST_TIMEOUT, { rateLimit: authRateLimit() }),
    ],
  },

  methods: {
    /** An unknown URL outside the API, docs and probes is the storefront's 404 page, not JSON. */
    send404(req: Req, res: ServerResponse) {
      if (isPageUrl(req.originalUrl ?? req.url)) return sendErrorPage(res, { code: 404 });
      return (ApiGateway.methods as { send404: (...a: unknown[]) => unknown }).send404.call(this, req, res);
    },
  },
};

export default ApiService;
