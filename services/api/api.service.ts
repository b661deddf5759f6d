import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context, ServiceSchema } from "moleculer";
import ApiGateway, { type ApiSettingsSchema } from "moleculer-web";
import { envInt, envList, envString } from "../../lib/env";
import type { Caller } from "../../contracts";
import { checkAccess } from "./access";
import { publicError } from "./public-error";

type Req = IncomingMessage & { $action?: { auth?: Parameters<typeof checkAccess>[0] } };

/**
 * The REST gateway. It exposes only actions that declare both a `rest` route
 * and an `auth` level in their own schema, all under /api/v1.
 *
 *   PORT          listening port (3000; 0 picks a free one)
 *   HOST          listening address (0.0.0.0)
 *   CORS_ORIGINS  comma list of allowed origins, or * (none: no CORS headers)
 *   BODY_LIMIT    largest accepted JSON body (100kb)
 */
const corsOrigins = envList("CORS_ORIGINS");

const ApiService: ServiceSchema<ApiSettingsSchema> = {
  name: "api",
  mixins: [ApiGateway],

  settings: {
    port: envInt("PORT", 3000),
    ip: envString("HOST", "0.0.0.0"),
    cors: corsOrigins.length
      ? {
          origin: corsOrigins.includes("*") ? "*" : corsOrigins,
          methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
          allowedHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
          exposedHeaders: ["X-Request-Id", "Retry-After"],
          maxAge: 600,
        }
      : undefined,
    // Request params and response bodies can carry passwords and tokens.
    logRequestParams: null,
    logResponseData: null,
    log4XXResponses: false,

    routes: [
      {
        path: "/api/v1",
        // Aliases come from the `rest` declarations of the actions themselves;
        // no action without one is reachable ("restrict"), and authorize()
        // refuses any action that does not declare who may call it.
        autoAliases: true,
        mappingPolicy: "restrict",
        authorization: true,
        bodyParsers: {
          json: { strict: true, limit: envString("BODY_LIMIT", "100kb") },
          urlencoded: false,
        },
        callOptions: { timeout: envInt("REQUEST_TIMEOUT", 10_000) },
      },
      {
        path: "/",
        mappingPolicy: "restrict",
        bodyParsers: { json: false },
        aliases: {
          "GET healthz"(_req: IncomingMessage, res: ServerResponse) {
            res.setHeader("Content-Type", "application/json; charset=utf-8");
            res.end(JSON.stringify({ status: "ok" }));
          },
        },
      },
    ],
  },

  actions: {
    // moleculer-web's own alias listing is for operators, not the public API.
    listAliases: { rest: null, visibility: "public" },
  },

  events: {
    // moleculer-web rebuilds its aliases 500 ms after services change. Once
    // every local service has started, build them now so the node answers
    // its routes as soon as it reports itself started.
    "$broker.started"(this: { regenerateAllAutoAliases: { flush?: () => void } }) {
      this.regenerateAllAutoAliases.flush?.();
    },
  },

  methods: {
    authorize(ctx: Context<unknown, { user?: Caller | null }>, _route: unknown, req: Req) {
      checkAccess(req.$action?.auth, ctx.meta.user);
    },

    reformatError(err: Parameters<typeof publicError>[0]) {
      return publicError(err);
    },
  },
};

export default ApiService;
