import type { IncomingMessage, Server, ServerResponse } from "node:http";
import {
  Errors,
  type Context,
  type Logger,
  type Service,
  type ServiceSettingSchema,
  type ServiceSchema,
} from "moleculer";
import ApiGateway from "moleculer-web";
import type { Caller } from "../contracts/access";
import { contractActions, declaredActions } from "../contracts/declared";
import type { ServiceContract } from "../contracts/define";
import { checkAccess } from "../security/check-access";
import { retryAfterSeconds } from "./auth-rate-limit";
import { bearerToken, invalidToken } from "./bearer";
import { buildOpenApi, type ActionInfo, type RouteAlias, type RouteResponses } from "./openapi";
import { answerClientErrors } from "./client-errors";
import { closeServer } from "./close-server";
import { KnownRoutes, type AliasLike, type KnownAction } from "./known-routes";
import { moleculerWeb } from "../patches/moleculer-web/methods";
import { fromHttpLayer, publicError } from "./public-error";
import { answerMethod, type MatchingAlias } from "./request-guard";
import { logsAt, memoizeDescription } from "./request-log";
import { isNoEndpointError, retryAfterUnavailable, unavailableError } from "./unavailable";
import { acceptedRequestId, newTraceId } from "../observability/request-context";

export type GatewayRequest = IncomingMessage & {
  $action?: { auth?: Parameters<typeof checkAccess>[0]; restStatus?: number };
  $alias?: { action?: string | null };
  $route?: { rateLimit?: { store?: { resetTime?: number } } };
};
type Meta = { user?: Caller | null };
type GatewayThis = { aliases: RouteAlias[]; broker: { registry: { getActionList(o: object): unknown[] } } };
interface Registry {
  getServiceList(o: object): { name: string; actions?: Record<string, KnownAction> }[];
}
type AliasThis = {
  aliases: AliasLike[];
  knownRoutes?: KnownRoutes;
  broker: { registry: Registry };
  createAlias(route: unknown, alias: object, action: string): AliasLike;
  regenerateAllAutoAliases: { (): void; flush?: () => void };
};
type RequestLogSettings = { logRequest?: string | null; logResponse?: string | null; logResponseData?: string | null };
type LogThis = { fullName: string; logger: Logger; settings: RequestLogSettings };

/** The services with at least one reachable node. */
function availableServices(registry: Registry): Set<string> {
  return new Set(registry.getServiceList({ onlyAvailable: true, skipInternal: true }).map((s) => s.name));
}

export interface GatewayOptions {
  /** Bearer token → the caller, or null for a token that names nobody (the users service answers it). */
  resolveCaller(ctx: Context, token: string): Promise<Caller | null>;
  /** Every service's contract: the document's response schemas and rate limits are what they declare. */
  contracts: readonly ServiceContract[];
  /** Title and description of the generated OpenAPI document. */
  openApi: {
    title: string;
    version: string;
    description: string;
    /** Which aliases the document describes (default: all); e.g. not the HTML pages of a storefront. */
    documents?: (alias: RouteAlias) => boolean;
    /** The responses of the routes served by a function, not an action ("GET /healthz" → ...). */
    routes?: Record<string, RouteResponses>;
  };
}

/**
 * What every gateway does whatever routes it serves: moleculer-web plus
 * authentication (Bearer token), the auth check each action declares,
 * public error bodies (no stack, no echoed values), Retry-After on a 429,
 * and the OpenAPI document built from the live aliases. The gateway service
 * (services/api) adds its routes on top. The moleculer-web methods overridden
 * below call moleculer-web's own through platform/patches/moleculer-web/methods.ts,
 * which says why each is overridden and whose canary watches them.
 */
export function gatewayMixin(options: GatewayOptions): Partial<ServiceSchema> {
  const declared = contractActions(options.contracts);
  const rateLimited = new Set(declaredActions(options.contracts, (def) => def.rateLimit !== undefined));
  return {
    mixins: [ApiGateway],

    actions: {
      // moleculer-web's own alias listing is for operators, not the public API.
      listAliases: { rest: null, visibility: "public", auth: "internal" },
      // Changing the gateway's routes is for the platform's own code, not for any bus client.
      addRoute: { auth: "internal" },
      removeRoute: { auth: "internal" },
      // An error thrown while handling a request must not re-run the whole
      // request: the body is consumed, so the second run finds nothing and
      // answers 404. Calls made from inside it keep the broker's retries.
      rest: { retryPolicy: { enabled: false } },
    },

    events: {
      // moleculer-web rebuilds its aliases 500 ms after services change. Once
      // every local service has started, build them now so the node answers
      // its routes as soon as it reports itself started.
      "$broker.started"(this: { regenerateAllAutoAliases: { flush?: () => void } }) {
        this.regenerateAllAutoAliases.flush?.();
      },
      // moleculer-web waits 500 ms after a change before rebuilding; a route
      // of a service that just joined would answer 404 meanwhile. Rebuilding
      // costs well under a millisecond, so do it now.
      "$services.changed"(this: AliasThis) {
        this.regenerateAllAutoAliases();
        this.regenerateAllAutoAliases.flush?.();
      },
    },

    created(this: Service<ServiceSettingSchema & RequestLogSettings>) {
      // A request line at a level the logger drops is not formatted at all (request-log.ts).
      const settings: RequestLogSettings = this.settings;
      if (!logsAt(this.logger, this.fullName, settings.logRequest)) settings.logRequest = null;
      if (!logsAt(this.logger, this.fullName, settings.logResponse)) settings.logResponse = null;
      // After moleculer-web's own created(), which makes the server.
      const server: Server | undefined = (this as { server?: Server }).server;
      if (server) answerClientErrors(server);
    },

    methods: {
      /** moleculer-web times and colours the line before it looks at the level. */
      logResponse(this: LogThis, ...args: unknown[]) {
        if (this.settings.logResponse || this.settings.logResponseData) moleculerWeb.logResponse.apply(this, args);
      },

      createAlias(this: unknown, ...args: unknown[]) {
        return memoizeDescription(moleculerWeb.createAlias.apply(this, args) as object);
      },

      /** Every path answers every method: 405 with Allow, OPTIONS with Allow (request-guard.ts). */
      httpHandler(
        this: { aliases: MatchingAlias[]; settings: { cors?: unknown; rootCallOptions?: unknown } },
        req: IncomingMessage,
        res: ServerResponse,
        next?: unknown,
      ) {
        // The id moleculer-web would give the request: from the gateway's rootCallOptions, as for every other answer.
        const requestId = () => {
          const options: { requestID?: string; parentSpan?: { traceID: string } } = {};
          const root = this.settings.rootCallOptions;
          if (typeof root === "function") root.call(this, options, req, res);
          return (
            options.requestID ??
            options.parentSpan?.traceID ??
            acceptedRequestId(req.headers["x-request-id"]) ??
            newTraceId()
          );
        };
        if (answerMethod(this.aliases, req, res, !!this.settings.cors, requestId)) return Promise.resolve();
        return moleculerWeb.httpHandler.call(this, req, res, next) as Promise<unknown>;
      },

      /** Bearer token → the caller; no header → anonymous; a bad token → 401; no users service → 503. */
      async authenticate(ctx: Context<unknown, Meta>, _route: unknown, req: GatewayRequest): Promise<Caller | null> {
        const token = bearerToken(req.headers.authorization);
        if (!token) return null;
        let caller: Caller | null;
        try {
          caller = await options.resolveCaller(ctx, token);
        } catch (err) {
          if (isNoEndpointError(err as Errors.MoleculerError)) {
            throw new Errors.MoleculerError(
              "Authentication is unavailable; nothing was changed. Please try again later.",
              503,
              "SERVICE_UNAVAILABLE",
              { unavailable: ["users"], done: false, retryAfter: retryAfterUnavailable() },
            );
          }
          throw err;
        }
        if (!caller) throw invalidToken();
        return caller;
      },

      authorize(ctx: Context<unknown, Meta>, _route: unknown, req: GatewayRequest) {
        checkAccess(req.$action?.auth, ctx.meta.user);
      },

      /**
       * moleculer-web's rebuild from the live registry, plus every route seen
       * before whose service has no node now (known-routes.ts): it stays, and
       * answers 503 instead of 404.
       */
      regenerateAutoAliases(this: AliasThis, route: unknown) {
        moleculerWeb.regenerateAutoAliases.call(this, route);
        // Created here: moleculer-web builds its first aliases in its own created().
        this.knownRoutes ??= new KnownRoutes();
        for (const service of this.broker.registry.getServiceList({ withActions: true, skipInternal: true })) {
          for (const action of Object.values(service.actions ?? {})) this.knownRoutes.rememberAction(action);
        }
        for (const gone of this.knownRoutes.remember(route, this.aliases)) {
          this.aliases.push(
            this.createAlias(route, { method: gone.method, path: gone.path, _generated: true }, gone.action),
          );
        }
      },

      /**
       * Every error response goes through here. A known route that reached no
       * node answers 503 saying what is unavailable (unavailable.ts); every
       * 503 and 429 says when to retry.
       */
      sendError(
        this: AliasThis,
        req: GatewayRequest,
        res: ServerResponse,
        httpErr: { code?: unknown; status?: unknown },
      ) {
        let err: { code?: unknown } = fromHttpLayer(httpErr);
        const action = req.$alias?.action;
        if (action && isNoEndpointError(err)) {
          err = unavailableError(
            err,
            (this.knownRoutes ??= new KnownRoutes()).action(action),
            availableServices(this.broker.registry),
          );
        }
        if (err?.code === 503 && !res.headersSent) res.setHeader("Retry-After", String(retryAfterUnavailable()));
        if (err?.code === 429 && !res.headersSent) {
          res.setHeader("Retry-After", String(retryAfterSeconds(req.$route?.rateLimit?.store?.resetTime)));
        }
        return moleculerWeb.sendError.call(this, req, res, err);
      },

      openApiDocument(this: GatewayThis): object {
        const actions = (this.broker.registry.getActionList({}) as { name: string; action?: ActionInfo }[])
          .filter((item) => item.action)
          .map((item) => ({ ...item.action, name: item.name }) as ActionInfo);
        const { documents = () => true, ...info } = options.openApi;
        return buildOpenApi(this.aliases.filter(documents), actions, { ...info, rateLimited, declared });
      },

      reformatError(err: Parameters<typeof publicError>[0]) {
        return publicError(err);
      },
    },

    // Runs before moleculer-web's own stopped(), which would wait on open connections forever.
    async stopped() {
      const server: Server | undefined = this.server;
      if (server) await closeServer(server);
    },
  };
}
