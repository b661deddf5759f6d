import type { IncomingMessage, ServerResponse } from "node:http";
import { Errors } from "moleculer";
import ApiGateway from "moleculer-web";
import { fromHttpLayer } from "./public-error";

/**
 * What the gateway refuses before any action sees a request:
 *
 *   a method the path does not serve   405 with `Allow` (OPTIONS answers 204 with `Allow`)
 *   a body that is not JSON            415 (a form or text body is not an empty update)
 *   a JSON body nested too deep        422 (the validator would recurse through it)
 *   a JSON body with too many values   413
 *
 * HEAD is answered as GET without a body (Node drops the body of a HEAD response).
 */

/** Deeper than any params schema of Agora (an order's payment card is 2 levels). */
export const MAX_BODY_DEPTH = 16;
/** Values (object keys and array items) in one body; a product with its tags is a few dozen. */
export const MAX_BODY_VALUES = 2_000;

export interface MatchingAlias {
  method: string;
  match(url: string): object | false;
}

/**
 * Whether the alias serves this path. match() throws for a parameter that is
 * not valid percent-encoding (/products/%E0%A4%A): the path is still the
 * alias's, and moleculer-web answers the request itself with a 400. Thrown
 * here, outside any request handler, it ended the process.
 */
function servesPath(alias: MatchingAlias, url: string): boolean {
  try {
    return alias.match(url) !== false;
  } catch {
    return true;
  }
}

/** The methods some alias serves on this path, HEAD and OPTIONS included; empty when no alias matches it. */
export function allowedMethods(aliases: readonly MatchingAlias[], url: string): string[] {
  const methods = new Set<string>();
  for (const alias of aliases) {
    if (!servesPath(alias, url)) continue;
    if (alias.method === "*") return ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
    methods.add(alias.method);
  }
  if (methods.size === 0) return [];
  if (methods.has("GET")) methods.add("HEAD");
  methods.add("OPTIONS");
  return [...methods].sort();
}

/** Whether an alias serves `method` on this path. */
function servesMethod(aliases: readonly MatchingAlias[], url: string, method: string): boolean {
  for (const alias of aliases) {
    if ((alias.method === method || alias.method === "*") && servesPath(alias, url)) return true;
  }
  return false;
}

/** The path moleculer-web matches aliases against: no query, no trailing slash. */
function routedPath(req: IncomingMessage): string {
  let url = (req.url ?? "/").split("?")[0];
  if (url.length > 1 && url.endsWith("/")) url = url.slice(0, -1);
  return url;
}

/**
 * Answers requests whose method the path does not serve; returns true when it
 * answered. `corsPreflight` is true when the gateway answers CORS preflights itself.
 */
export function answerMethod(
  aliases: readonly MatchingAlias[],
  req: IncomingMessage,
  res: ServerResponse,
  corsPreflight: boolean,
  requestId: () => string = () => "",
): boolean {
  const method = req.method ?? "GET";
  const path = routedPath(req);
  // Nearly every request: an alias serves this method on this path, so there is nothing to answer. Found
  // without matching the path against the aliases of other methods or building the Allow list.
  if (method !== "OPTIONS" && method !== "HEAD" && servesMethod(aliases, path, method)) return false;
  const allowed = allowedMethods(aliases, path);
  if (allowed.length === 0) return false;
  // Every response carries the request's id (docs/api.md), these too: they are answered before moleculer-web sets it.
  if (method === "OPTIONS") {
    if (corsPreflight && req.headers["access-control-request-method"]) return false;
    res.writeHead(204, { Allow: allowed.join(", "), "Content-Length": "0", "X-Request-ID": requestId() });
    res.end();
    return true;
  }
  if (method === "HEAD" && allowed.includes("GET")) {
    // moleculer-web resolves aliases by method; the response stays bodiless.
    req.method = "GET";
    return false;
  }
  if (allowed.includes(method)) return false;
  res.writeHead(405, {
    Allow: allowed.join(", "),
    "Content-Type": "application/json; charset=utf-8",
    "X-Request-ID": requestId(),
  });
  res.end(
    JSON.stringify({
      name: "MethodNotAllowedError",
      message: `${method} is not allowed here`,
      code: 405,
      type: "METHOD_NOT_ALLOWED",
      data: { allow: allowed },
    }),
  );
  return true;
}

type Next = (err?: unknown) => void;

/**
 * moleculer-web's JSON body parser, with its errors turned into client errors
 * here: moleculer-web would rebuild them from their `code` first, and zlib's
 * string code ("Z_DATA_ERROR") for a body that does not decompress made a 500.
 */
export function jsonBody(options: { limit: string }) {
  const parse = ApiGateway.bodyParser.json({ strict: true, limit: options.limit });
  return (req: IncomingMessage, res: ServerResponse, next: Next) =>
    parse(req, res, (err?: unknown) =>
      next(err ? fromHttpLayer(err as Parameters<typeof fromHttpLayer>[0]) : undefined),
    );
}

/** The same for a route of HTML forms (application/x-www-form-urlencoded; other bodies are left unparsed). */
export function formBody(options: { limit: string }) {
  const parse = ApiGateway.bodyParser.urlencoded({ extended: false, limit: options.limit });
  return (req: IncomingMessage, res: ServerResponse, next: Next) =>
    parse(req, res, (err?: unknown) =>
      next(err ? fromHttpLayer(err as Parameters<typeof fromHttpLayer>[0]) : undefined),
    );
}

/** Route middleware, after the JSON body parser: refuses bodies that are not JSON, too deep or too large. */
export function guardBody(req: IncomingMessage & { body?: unknown }, _res: ServerResponse, next: Next): void {
  // No body (most requests: every read): nothing was parsed, nothing to walk.
  if (!hasBody(req)) return next();
  if (mediaType(req) !== "application/json") {
    return next(
      new Errors.MoleculerClientError("The request body must be JSON", 415, "UNSUPPORTED_MEDIA_TYPE", {
        contentType: req.headers["content-type"] ?? null,
      }),
    );
  }
  const problem = bodyShapeProblem(req.body);
  if (problem) return next(problem);
  next();
}

/** The test body-parser makes (type-is): a length above 0 or a chunked body. */
function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"]) > 0;
}

function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
}

/** Walks the parsed body without recursion (a deep body must not overflow the stack here either). */
export function bodyShapeProblem(body: unknown): Errors.MoleculerClientError | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const stack: [unknown, number][] = [[body, 1]];
  let values = 0;
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (depth > MAX_BODY_DEPTH) {
      return new Errors.MoleculerClientError(
        `The request body is nested deeper than ${MAX_BODY_DEPTH} levels`,
        422,
        "BODY_TOO_DEEP",
        { maxDepth: MAX_BODY_DEPTH },
      );
    }
    for (const child of Object.values(value as object)) {
      if (++values > MAX_BODY_VALUES) {
        return new Errors.MoleculerClientError(
          `The request body has more than ${MAX_BODY_VALUES} values`,
          413,
          "BODY_TOO_LARGE",
          { maxValues: MAX_BODY_VALUES },
        );
      }
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return undefined;
}
