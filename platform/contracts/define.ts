import type { ActionSchema, Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { ServiceDependencies } from "../observability/dependencies";
import type { AccessLevel, Caller } from "./access";

/**
 * One declaration per action, bound on both sides.
 *
 * A service's contract names each action once, with its fastest-validator
 * params schema and its result schema (the same rule language). From that one
 * declaration come:
 * - the validator schema the broker enforces (`params`),
 * - the handler's `ctx.params` type and its return type (inferred from the schemas, below),
 * - the caller's params and result types (`call(ctx, "<service>.<action>", ...)`),
 * - the OpenAPI document's request and response schemas (platform/gateway/openapi.ts).
 *
 * `defineService` makes the compiler check the service against its contract:
 * a missing action, a handler returning another shape or reading params the
 * schema does not declare fails `npm run typecheck`. The integration tests
 * check the real answers against the result schemas (test/integration/responses.test.ts).
 *
 * This is the machinery; each service's contract is in contracts/, which
 * imports it. Platform code that needs the contracts gets them passed in.
 */

// ---------------------------------------------------------------------------
// fastest-validator schema → TypeScript type

/** A fastest-validator params schema (object form, `as const`). */
export type ParamsSchema = { readonly [field: string]: unknown };

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The value type one validator rule accepts (after `convert`); `nullable: true` adds null. */
export type RuleType<R> = R extends { readonly nullable: true } ? BaseRuleType<R> | null : BaseRuleType<R>;

type BaseRuleType<R> = R extends { readonly type: "string" | "email" | "url" | "uuid" }
  ? string
  : R extends { readonly type: "number" }
    ? number
    : R extends { readonly type: "boolean" }
      ? boolean
      : R extends { readonly type: "enum"; readonly values: readonly (infer V)[] }
        ? V
        : R extends { readonly type: "equal"; readonly value: infer V }
          ? V
          : R extends { readonly type: "array"; readonly items: infer I }
            ? RuleType<I>[]
            : R extends { readonly type: "object"; readonly props: infer P }
              ? InferParams<P>
              : R extends { readonly type: "object" }
                ? Record<string, unknown>
                : R extends { readonly type: "record"; readonly value: infer V }
                  ? Record<string, RuleType<V>>
                  : unknown;

type FieldsOf<S> = Exclude<keyof S, `$$${string}`>;
type OptionalFields<S> = { [K in FieldsOf<S>]: S[K] extends { readonly optional: true } ? K : never }[FieldsOf<S>];
type RequiredFields<S> = Exclude<FieldsOf<S>, OptionalFields<S>>;

/** The params object a schema accepts: `optional: true` fields are optional, `$$strict` and friends are not fields. */
export type InferParams<S> = Simplify<
  { -readonly [K in RequiredFields<S>]: RuleType<S[K]> } & { -readonly [K in OptionalFields<S>]?: RuleType<S[K]> }
>;

/** The same fields, each optional (a PATCH body from a POST body). */
export function allOptional<const S extends ParamsSchema>(
  fields: S,
): { readonly [K in keyof S]: S[K] & { readonly optional: true } } {
  const out: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(fields)) out[key] = { ...(rule as object), optional: true };
  return out as { readonly [K in keyof S]: S[K] & { readonly optional: true } };
}

// ---------------------------------------------------------------------------
// Contracts

/** A result schema: one fastest-validator rule (`{ type: "object", props: {...} }`, an array, `nullable: true`, ...). */
export type ResultSchema = { readonly type: string; readonly [option: string]: unknown };

/** How a gateway may keep an action's answers in its read cache (platform/gateway/read-cache.ts). */
export interface GatewayCache {
  /** Events after which no kept answer is served again (e.g. the store's `cache.clean.<service>`). */
  readonly clearOn: readonly string[];
  /** Events that name, in a payload field (a list of ids), the rows whose kept answers are dropped. */
  readonly dropOn: Readonly<Record<string, string>>;
  /** An answer is kept only when each of its rows has this field as a number (else it is partial, e.g. stock unknown). */
  readonly keepsOnlyWith?: string;
}

/** An error an action answers, and what its `data` carries. */
export interface DeclaredError {
  readonly description: string;
  readonly data: ResultSchema;
}

/** What a call through a gateway (answered or failed) does to that gateway's read cache. */
export type Invalidates =
  /** Drops every kept answer. */
  | "all"
  /** Drops the kept answers showing the row whose id is in this param. */
  | { readonly ids: string };

/** What a contract says about one action besides its params and result. */
export interface ActionOptions {
  /**
   * The services this action calls, hard or optional; `{}` for none. Without
   * it the action needs what its service declares. The gateway answers a
   * route from it (docs/fault-isolation.md).
   */
  readonly dependsOn?: ServiceDependencies;
  /** A gateway may answer its GET route from its own cache, keyed by the params the schema names. */
  readonly cache?: GatewayCache;
  /** Its REST route shares this rate limit with every other action naming it ("auth": login, sign-up). */
  readonly rateLimit?: "auth";
  /** The gateway a write went through updates its read cache before the caller's next request. */
  readonly invalidates?: Invalidates;
  /**
   * The errors it answers itself, HTTP status → when (e.g. `{ 409: "The email is taken" }`), in the
   * gateway's error body; with `data`, the schema of what the error's `data` carries. Those of the
   * gateway (validation, access, unavailable) need not be listed.
   */
  readonly errors?: Readonly<Record<number, string | DeclaredError>>;
}

export interface ActionDef<
  S extends ParamsSchema = ParamsSchema,
  R extends ResultSchema = ResultSchema,
> extends ActionOptions {
  readonly params: S;
  readonly result: R;
}

/** One action of a contract: its params schema and its result schema. */
export function action<const S extends ParamsSchema, const R extends ResultSchema>(
  params: S,
  result: R,
  options: ActionOptions = {},
): ActionDef<S, R> {
  return { params, result, ...options };
}

export interface ServiceContract<
  N extends string = string,
  A extends Record<string, ActionDef> = Record<string, ActionDef>,
> {
  readonly name: N;
  readonly actions: A;
  /** The services this one calls, hard or optional (platform/observability/dependencies.ts). */
  readonly dependsOn?: ServiceDependencies;
}

/** What a contract says about its service besides its actions. */
export interface ContractOptions {
  /** e.g. `{ payments: "hard", notifications: "optional" }`; readiness waits for the hard ones. */
  dependsOn?: ServiceDependencies;
}

/** A service's contract: its name and every action other services (or the gateway) may call. */
export function contract<const N extends string, const A extends Record<string, ActionDef>>(
  name: N,
  actions: A,
  options: ContractOptions = {},
): ServiceContract<N, A> {
  return { name, actions, ...options };
}

export type ParamsOfDef<D> = D extends ActionDef<infer S, ResultSchema> ? InferParams<S> : never;
export type ResultOfDef<D> = D extends ActionDef<ParamsSchema, infer R> ? RuleType<R> : never;

/** `{ "<service>.<action>": { params, result }, ... }` for one contract: the caller's view. */
export type CallableActions<C> =
  C extends ServiceContract<infer N, infer A>
    ? { [K in keyof A & string as `${N}.${K}`]: { params: ParamsOfDef<A[K]>; result: ResultOfDef<A[K]> } }
    : never;

// ---------------------------------------------------------------------------
// Handler side

/** What every request carries in `ctx.meta` (set by the gateway, or by the caller). */
export interface RequestMeta {
  user?: Caller | null;
  requestID?: string;
  $statusCode?: number;
  $location?: string;
  $responseHeaders?: Record<string, string>;
  [key: string]: unknown;
}

/** The implementation of one contract action: everything but `params`, which comes from the contract. */
export type ActionImpl<D, TThis> = Omit<ActionSchema<TThis>, "params" | "handler" | "auth"> & {
  /** Who may call it (contracts/access.ts); enforced where the action runs. */
  auth: AccessLevel;
  handler: (this: TThis, ctx: Context<ParamsOfDef<D>, RequestMeta>) => Promise<ResultOfDef<D>> | ResultOfDef<D>;
};

type ContractActionsImpl<C extends ServiceContract, TThis> = {
  [K in keyof C["actions"]]: ActionImpl<C["actions"][K], TThis>;
};

/** A service schema whose name comes from the contract and whose actions must implement it. */
export type ContractServiceSchema<C extends ServiceContract, M, S> = Omit<ServiceSchema<S, M>, "name" | "actions"> & {
  /** Exactly the contract's actions. */
  actions: ContractActionsImpl<C, Service<S> & M>;
  /** The service's own helpers (e.g. a cached read), callable only from inside it: `visibility: "private"`. */
  privateActions?: Record<string, ActionSchema<Service<S> & M>>;
};

/**
 * Declares a service that implements `contract`:
 * `export default defineService<ShopMethods>()(shopContract, { actions: { list: { handler(ctx) {...} } } })`.
 * The params schema of each contract action is attached here, so it is written once.
 * (Curried so that the methods type is given while the contract type is inferred.)
 */
export function defineService<M = object, S = ServiceSettingSchema>() {
  return <C extends ServiceContract>(
    serviceContract: C,
    schema: ContractServiceSchema<C, M, S>,
  ): ServiceSchema<S, M> => {
    const { privateActions = {}, actions: implemented, ...rest } = schema;
    const actions: Record<string, ActionSchema<Service<S> & M>> = {};
    for (const [name, impl] of Object.entries(privateActions)) actions[name] = { ...impl, visibility: "private" };
    for (const [name, def] of Object.entries(serviceContract.actions)) {
      const impl: ActionSchema<Service<S> & M> = implemented[name as keyof typeof implemented];
      // dependsOn travels with the action definition (INFO packets), so a
      // gateway on another node knows what the route behind it needs.
      const dependsOn = def.dependsOn ?? serviceContract.dependsOn;
      actions[name] = { ...impl, params: def.params as ActionSchema["params"], ...(dependsOn && { dependsOn }) };
    }
    // Metadata travels with the service list to every node, so the
    // dependencies are known wherever the service is seen, not only locally.
    const metadata = serviceContract.dependsOn
      ? { ...rest.metadata, dependsOn: serviceContract.dependsOn }
      : rest.metadata;
    return { ...rest, name: serviceContract.name, actions, ...(metadata && { metadata }) };
  };
}
