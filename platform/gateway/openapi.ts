import type { AccessLevel } from "../contracts/access";
import type { DeclaredError } from "../contracts/define";
import { actionDependencies, hardDependencies, type ServiceDependencies } from "../observability/dependencies";
import { isOptional, objectSchema, ruleObject, toJsonSchema, type JsonSchema } from "./json-schema";

/**
 * Builds the OpenAPI 3.0 document of the gateway at request time, from the
 * things that define the API: the gateway's alias table (method, path,
 * action), each action's own schema (params, auth, restStatus) and its
 * contract's result schema. Nothing here is written by hand per route, so the
 * document cannot drift from what the gateway serves; the integration tests
 * check real answers against it (test/integration/responses.test.ts).
 */

/** One row of the gateway's alias table (moleculer-web `this.aliases`). */
export interface RouteAlias {
  method: string;
  fullPath: string;
  /** The action it calls; absent for routes served by a function (health, docs). */
  action?: string | null;
}

/** What the document needs of an action's schema (from the service registry). */
export interface ActionInfo {
  name: string;
  params?: Record<string, unknown>;
  auth?: AccessLevel;
  restStatus?: number;
  /** Optional human description from the action schema. */
  description?: string;
  /** What the action needs from other services (contracts' dependsOn). */
  dependsOn?: ServiceDependencies;
}

/** The responses of a route served by a function: HTTP status → what it answers. */
export type RouteResponses = Record<string, { description: string; type: string; schema?: JsonSchema }>;

export interface DocumentOptions {
  title: string;
  version: string;
  description?: string;
  /** Actions whose routes are rate-limited (documented with a 429 response). */
  rateLimited?: ReadonlySet<string>;
  /** What each action's contract declares: its result schema (a fastest-validator rule) and its own errors. */
  declared?: ReadonlyMap<string, { result?: unknown; errors?: Readonly<Record<number, string | DeclaredError>> }>;
  /** The responses of the routes served by a function, by "METHOD /full/path". */
  routes?: Readonly<Record<string, RouteResponses>>;
}

type Operation = Record<string, unknown>;

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

/** "/api/v1/products/:id" → "/api/v1/products/{id}", and the names of its parameters. */
export function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const converted = path.replace(/:([A-Za-z0-9_]+)\??/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: converted, params };
}

const ERROR_REF = { $ref: "#/components/schemas/Error" };

/** The gateway's error body; with `data`, what that error's `data` carries. */
const errorResponse = (description: string, data?: unknown) => ({
  description,
  content: {
    "application/json": {
      schema:
        data === undefined
          ? ERROR_REF
          : { allOf: [ERROR_REF, { type: "object", required: ["data"], properties: { data: toJsonSchema(data) } }] },
    },
  },
});

const COMMON_ERRORS: Record<string, string> = {
  "400": "Malformed request (e.g. invalid JSON)",
  "401": "Missing, invalid or expired token",
  "403": "The caller's role may not use this route",
  "404": "Not found",
  "422": "Invalid parameters; `data` lists each offending field",
  "429": "Too many requests; retry after the `Retry-After` header's seconds",
  "500": "Internal error",
  "503":
    "A service this route needs has no reachable node; `Retry-After` says when to retry, `data.unavailable` names " +
    "what is missing and the message what did or did not happen (checkout: nothing charged, `data.order` the FAILED order)",
};

/** The answers of a route served by a function, as it declares them; unknown ones are documented as any JSON. */
function routeResponses(declared: RouteResponses | undefined): Record<string, unknown> {
  if (!declared) return { "200": { description: "Success", content: { "application/json": { schema: {} } } } };
  return Object.fromEntries(
    Object.entries(declared).map(([status, r]) => [
      status,
      { description: r.description, content: { [r.type]: { schema: r.schema ?? {} } } },
    ]),
  );
}

function operationFor(
  method: string,
  route: { path: string; params: string[]; alias: string },
  action: ActionInfo | undefined,
  options: DocumentOptions,
): Operation {
  const params = action?.params ?? {};
  const parameters: Record<string, unknown>[] = route.params.map((name) => ({
    name,
    in: "path",
    required: true,
    schema: name in params ? toJsonSchema(params[name]) : { type: "string" },
  }));

  const rest = Object.fromEntries(
    Object.entries(params).filter(([name]) => !name.startsWith("$$") && !route.params.includes(name)),
  );
  let requestBody: Record<string, unknown> | undefined;
  if (method === "get" || method === "delete" || method === "head") {
    for (const [name, rule] of Object.entries(rest)) {
      if (ruleObject(rule).type === "forbidden") continue;
      parameters.push({ name, in: "query", required: !isOptional(rule), schema: toJsonSchema(rule) });
    }
  } else if (Object.keys(rest).length > 0) {
    const schema = objectSchema(rest, params.$$strict);
    requestBody = {
      required: Array.isArray(schema.required) && schema.required.length > 0,
      content: { "application/json": { schema } },
    };
  }

  const declared = action && options.declared?.get(action.name);
  const result = declared?.result;
  const responses: Record<string, unknown> = action
    ? {
        [String(action.restStatus ?? 200)]: {
          description: "Success",
          content: { "application/json": { schema: result === undefined ? {} : toJsonSchema(result) } },
        },
      }
    : routeResponses(options.routes?.[route.alias]);
  const errors = ["500"];
  if (action) errors.push("422", "503");
  if (requestBody) errors.push("400");
  if (route.params.length) errors.push("404");
  if (action?.auth === "customer" || action?.auth === "admin") errors.push("401");
  if (action?.auth === "admin") errors.push("403");
  if (action && options.rateLimited?.has(action.name)) errors.push("429");
  for (const code of errors.sort()) responses[code] = errorResponse(COMMON_ERRORS[code]);
  for (const [code, error] of Object.entries(declared?.errors ?? {})) {
    responses[code] = typeof error === "string" ? errorResponse(error) : errorResponse(error.description, error.data);
  }

  const op: Operation = {
    summary: action ? action.name : `${method.toUpperCase()} ${route.path}`,
    responses,
  };
  if (action) {
    op.operationId = action.name;
    op.tags = [action.name.split(".")[0]];
    op["x-access"] = action.auth;
    const deps = actionDependencies(action);
    const needs = hardDependencies(deps).sort();
    const optional = Object.keys(deps).filter((name) => deps[name] === "optional");
    op.description = [
      action.description,
      `Access: ${action.auth}.`,
      `Needs: ${needs.join(", ")}.`,
      optional.length ? `Degrades without: ${optional.join(", ")} (docs/fault-isolation.md).` : "",
    ]
      .filter(Boolean)
      .join("\n\n");
    op["x-depends-on"] = deps;
    op.security = action.auth === "public" ? [] : [{ bearerAuth: [] }];
  }
  if (parameters.length) op.parameters = parameters;
  if (requestBody) op.requestBody = requestBody;
  return op;
}

/**
 * The document for the given aliases. Aliases whose action is not known
 * (its service is down) are left out, as the gateway would not serve them;
 * method "*" stands for every method and is documented as GET.
 */
export function buildOpenApi(
  aliases: readonly RouteAlias[],
  actions: readonly ActionInfo[],
  options: DocumentOptions,
): Record<string, unknown> {
  const byName = new Map(actions.map((a) => [a.name, a]));
  const paths: Record<string, Record<string, Operation>> = {};
  const operationIds = new Set<string>();

  const sorted = [...aliases].sort((a, b) => a.fullPath.localeCompare(b.fullPath) || a.method.localeCompare(b.method));
  for (const alias of sorted) {
    const action = alias.action ? byName.get(alias.action) : undefined;
    if (alias.action && !action) continue;
    const method = alias.method === "*" ? "get" : alias.method.toLowerCase();
    if (!(HTTP_METHODS as readonly string[]).includes(method)) continue;
    const route = { ...openApiPath(alias.fullPath), alias: `${alias.method} ${alias.fullPath}` };
    const op = operationFor(method, route, action, options);
    if (typeof op.operationId === "string") {
      // One action may have several routes; operation ids must stay unique.
      let id = op.operationId;
      for (let n = 2; operationIds.has(id); n++) id = `${op.operationId}_${n}`;
      op.operationId = id;
      operationIds.add(id);
    }
    (paths[route.path] ??= {})[method] = op;
  }

  const tags = [
    ...new Set(
      Object.values(paths)
        .flatMap((ops) => Object.values(ops))
        .flatMap((op) => (op.tags as string[] | undefined) ?? []),
    ),
  ]
    .sort()
    .map((name) => ({ name }));

  return {
    openapi: "3.0.3",
    info: { title: options.title, version: options.version, description: options.description },
    tags,
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        Error: {
          type: "object",
          required: ["name", "message", "code"],
          properties: {
            name: { type: "string" },
            message: { type: "string" },
            code: { type: "integer" },
            type: { type: "string" },
            data: {},
          },
        } satisfies JsonSchema,
      },
    },
  };
}
