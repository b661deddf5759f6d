import type { Context } from "moleculer";
import type { GatewayRequest } from "../../gateway/gateway.mixin";
import { moleculerWeb } from "./methods";

/**
 * Patch: moleculer-web@0.11.0, ApiGateway's callAction method (src/index.js), overridden by
 * platform/gateway/read-path.mixin.ts for the reads its cache answers.
 * Canary: test/unit/patches/moleculer-web.canary.test.ts (callAction's source text: what
 * sendCached repeats of it).
 * Upstream: no: the read cache is Agora's (bench/README.md item 11: S2 336 → 1,095 req/s,
 * 97e3b2b); moleculer-web has no hook between routing and the call that could answer a
 * request without calling the action, so the override takes the call's place.
 *
 * An answer from the cache leaves moleculer-web's callAction out; sendCached does what its
 * tail does with an answer (JSON type, the route's onAfterCall, sendResponse, the response log
 * line), so a cached answer leaves the gateway exactly as a fresh one.
 */

const JSON_TYPE = "application/json; charset=utf-8";

export type CallActionRequest = GatewayRequest & { $ctx: Context<unknown, { $responseType?: string }> };

export interface CallActionRoute {
  callOptions?: object;
  logging?: boolean;
  onAfterCall?: (ctx: Context, route: CallActionRoute, req: CallActionRequest, res: unknown, data: unknown) => unknown;
}

export interface CallActionThis {
  sendResponse(req: CallActionRequest, res: unknown, data: unknown, action: unknown): void;
  logResponse(req: CallActionRequest, res: unknown, data: unknown): void;
}

/** moleculer-web's callAction, with its arguments typed. */
export const moleculerWebCallAction = moleculerWeb.callAction as (
  this: unknown,
  route: CallActionRoute,
  actionName: string,
  req: CallActionRequest,
  res: unknown,
  params: Record<string, unknown>,
  isStream?: boolean,
) => Promise<unknown>;

/** The end of moleculer-web's callAction for an answer `body` it did not fetch itself. */
export async function sendCached(
  this: CallActionThis,
  route: CallActionRoute,
  req: CallActionRequest,
  res: unknown,
  body: unknown,
): Promise<true> {
  const ctx = req.$ctx;
  ctx.meta.$responseType = JSON_TYPE;
  const data = route.onAfterCall ? await route.onAfterCall.call(this, ctx, route, req, res, body) : body;
  this.sendResponse(req, res, data, req.$action);
  if (route.logging) this.logResponse(req, res, data);
  return true;
}
