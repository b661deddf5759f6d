import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { Errors, type Context, type ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import type { Caller } from "../../contracts";
import { checkAccess } from "../security/check-access";
import { AUTH_ACTIONS, retryAfterSeconds } from "./auth-rate-limit";
import { bearerToken, invalidToken } from "./bearer";
import { buildOpenApi, type ActionInfo, type RouteAlias } from "./openapi";
import { closeServer } from "./close-server";
import { fromHttpLayer, publicError } from "./public-error";
import { answerMethod, type MatchingAlias } from "./request-guard";

export type GatewayRequest = IncomingMessage & {
  $action?: { auth?: Parameters<typeof checkAccess>[0]; restStatus?: number };
  $route?: { rateLimit?: { store?: { resetTime?: number } } };
};
type Meta = { user?: Caller | null };
type GatewayThis = { aliases: RouteAlias[]; broker: { registry: { getActionList(o: object): unknown[] } } };
type HttpHandler = (req: IncomingMessage, res: ServerResponse, next?: unknown) => Promise<unknown>;
const gatewayMethods = ApiGateway.methods as { sendError: (...a: unknown[]) => unknown; httpHandler: HttpHandler };

export interface GatewayOptions {
  /** Bearer token → the caller, or null for a token that names nobody (the users service answers it). */
  resolveCaller(ctx: Context, token: string): Promise<Caller | null>;
  /** Title and description of the generated OpenAPI document. */
  openApi: { title: string; version: string; description: string };
}

/**
 * What every gateway does whatever routes it serves: moleculer-web plus
 * authentication (Bearer token), the auth check each action declares,
 * public error bodies (no stack, no echoed values), Retry-After on a 429,
 * and the OpenAPI document built from the live aliases. The gateway service
 * (services/api) adds its routes on top.
 */
export function gatewayMixin(options: GatewayOptions): Partial<ServiceSchema> {
  return {
    mixins: [ApiGateway],

    actions: {
      // moleculer-web's own alias listing is for operators, not the public API.
      listAliases: { rest: null, visibility: "public", auth: "internal" },
      // Changing the gateway's routes is for the platform's own code, not for any bus client.
      addRoute: { auth: "internal" },
      removeRoute: { auth: "internal" },
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
      /** Every path answers every method: 405 with Allow, OPTIONS with Allow (request-guard.ts). */
      httpHandler(
        this: { aliases: MatchingAlias[]; settings: { cors?: unknown } },
        req: IncomingMessage,
        res: ServerResponse,
        next?: unknown,
      ) {
        if (answerMethod(this.aliases, req, res, !!this.settings.cors)) return Promise.resolve();
        return gatewayMethods.httpHandler.call(this, req, res, next);
      },

      /** Bearer token → the caller; no header → anonymous; a bad token → 401; no users service → 503. */
      async authenticate(ctx: Context<unknown, Meta>, _route: unknown, req: GatewayRequest): Promise<Caller | null> {
        const token = bearerToken(req.headers.authorization);
        if (!token) return null;
        let caller: Caller | null;
        try {
          caller = await options.resolveCaller(ctx, token);
        } catch (err) {
          if (err instanceof Errors.ServiceNotFoundError) {
            throw new Errors.MoleculerServerError("Authentication is unavailable", 503, "SERVICE_UNAVAILABLE");
          }
          throw err;
        }
        if (!caller) throw invalidToken();
        return caller;
      },

      authorize(ctx: Context<unknown, Meta>, _route: unknown, req: GatewayRequest) {
        checkAccess(req.$action?.auth, ctx.meta.user);
      },

      /** Every error response goes through here; a 429 from the rate limiter also says when to retry. */
      sendError(req: GatewayRequest, res: ServerResponse, httpErr: { code?: unknown; status?: unknown }) {
        const err = fromHttpLayer(httpErr);
        if (err?.code === 429 && !res.headersSent) {
          res.setHeader("Retry-After", String(retryAfterSeconds(req.$route?.rateLimit?.store?.resetTime)));
        }
        return gatewayMethods.sendError.call(this, req, res, err);
      },

      openApiDocument(this: GatewayThis): object {
        const actions = (this.broker.registry.getActionList({}) as { name: string; action?: ActionInfo }[])
          .filter((item) => item.action)
          .map((item) => ({ ...item.action, name: item.name }) as ActionInfo);
        return buildOpenApi(this.aliases, actions, { ...options.openApi, rateLimited: new Set(AUTH_ACTIONS) });
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
