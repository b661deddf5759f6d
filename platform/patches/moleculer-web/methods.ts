import ApiGateway from "moleculer-web";

/**
 * Patch: moleculer-web@0.11.0, the ApiGateway service methods Agora's gateway overrides in its
 * mixins and calls through to: httpHandler, sendError, logResponse, createAlias,
 * regenerateAutoAliases (platform/gateway/gateway.mixin.ts) and callAction
 * (platform/gateway/read-path.mixin.ts through call-action.ts). None is part of moleculer-web's
 * documented hooks (authenticate, authorize, onBeforeCall, onAfterCall, onError, reformatError
 * are, and need no fence); each override runs its own step and then moleculer-web's method below.
 * Canary: test/unit/patches/moleculer-web.canary.test.ts (each method's arity and source text).
 * Upstream: per override:
 * - httpHandler: 405 with Allow and OPTIONS with Allow for every path (request-guard.ts, 874aecf);
 *   moleculer-web answers a method no alias serves with 404: yes, upstream.
 * - logResponse and createAlias: the response line and the alias description formatted only
 *   when the logger writes them (request-log.ts, 5576a07: 9 to 15% less CPU per request in the
 *   A/B log of bench/README.md): yes, upstream, small.
 * - regenerateAutoAliases and sendError: a known route whose service has no node answers 503
 *   with what is unavailable and Retry-After (known-routes.ts, unavailable.ts, 8b1276f); public
 *   error bodies: Agora's error policy, stays here.
 * - callAction: the gateway's read cache (call-action.ts): Agora's, stays here.
 */

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** The methods overridden, as listed above (the canary reads this list). */
export const overriddenMethods = [
  "httpHandler",
  "sendError",
  "logResponse",
  "createAlias",
  "regenerateAutoAliases",
  "callAction",
] as const;

type Overridden = (typeof overriddenMethods)[number];

function upstream(name: Overridden): Method {
  const method = ApiGateway.methods?.[name];
  // At load, not at the first request: a moleculer-web without it fails the node's start.
  if (typeof method !== "function")
    throw new Error(`moleculer-web has no method ${name} (platform/patches/moleculer-web)`);
  return method as Method;
}

/** moleculer-web's own methods, called by the overrides after (or instead of) their own step. */
export const moleculerWeb = Object.fromEntries(overriddenMethods.map((name) => [name, upstream(name)])) as Record<
  Overridden,
  Method
>;
