import zlib from "node:zlib";
import fc from "fast-check";

/**
 * Generators of hostile HTTP requests, driven by the gateway's own OpenAPI
 * document: every documented path and method, every other method on those
 * paths, with bodies that are mostly valid for the operation's schema but
 * carry one hostile value (so they get past the first checks), or are
 * hostile as a whole.
 */

export type Role = "anonymous" | "customer" | "admin" | "bad token";

export interface Operation {
  method: string;
  /** "/api/v1/products/{id}" */
  path: string;
  pathParams: { name: string; schema: JsonSchema }[];
  queryParams: { name: string; schema: JsonSchema }[];
  body?: JsonSchema;
}

export interface JsonSchema {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

export interface HostileRequest {
  role: Role;
  method: string;
  /** The request target as sent: path and query, percent-encoding already applied (or deliberately broken). */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What the body is, for a readable counterexample. */
  bodyKind: string;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; schema: JsonSchema }[];
        requestBody?: { content: { "application/json": { schema: JsonSchema } } };
      }
    >
  >;
}

/** Every operation of the document. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === "path"),
        queryParams: params.filter((p) => p.in === "query"),
        body: op.requestBody?.content["application/json"].schema,
      });
    }
  }
  return ops;
}

/** Node's parser knows all of these but FOO; the gateway serves five. */
export const METHODS = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
  "TRACE",
  "PROPFIND",
  "PURGE",
  "FOO",
];

// ---------------------------------------------------------------- values

export const OPERATORS = [
  "$gt",
  "$gte",
  "$lt",
  "$ne",
  "$in",
  "$nin",
  "$where",
  "$regex",
  "$exists",
  "$or",
  "$expr",
  "$set",
];
export const PROTO_KEYS = ["__proto__", "constructor", "prototype"];

/** An object with exactly these own keys, "__proto__" included (an object literal would set the prototype instead). */
const objectOf = (entries: [string, unknown][]) => Object.fromEntries(entries);

function nestedValue(depth: number, inner: unknown, asArray: boolean): unknown {
  let value = inner;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

/** A value of a wrong type or an odd one, small enough for a URL. */
export const smallLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    1e308,
    -1e308,
    2 ** 53 + 2,
    -1,
    0,
    0.5,
    "",
    " ",
    "0",
    "true",
    "null",
    "NaN",
    "\u0000",
    "\ud800",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "%00",
    "0123456789abcdef01234567",
  ),
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: smallLeaf },
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => "x".repeat(n)),
);

const operatorValue = fc
  .tuple(fc.constantFrom(...OPERATORS), leaf)
  .map(([op, v]) => objectOf([[op, op === "$where" ? "sleep(100) || true" : v]]));

const protoValue = fc
  .tuple(fc.constantFrom(...PROTO_KEYS), fc.oneof(leaf, fc.constant({ polluted: true })))
  .map(([key, v]) => objectOf([[key, v]]));

const deepValue = fc
  .tuple(fc.integer({ min: 2, max: 1_000 }), leaf, fc.boolean())
  .map(([depth, inner, asArray]) => nestedValue(depth, inner, asArray));

const wideValue = fc.integer({ min: 100, max: 5_000 }).map((n) => Array.from({ length: n }, (_, i) => i));

const anyKey = fc.oneof(fc.constantFrom(...OPERATORS, ...PROTO_KEYS, "_id", "id", "userId", "role"), fc.string());

/** Wrong types, huge and deeply nested values, operators, prototype keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    operatorValue,
    protoValue,
    deepValue,
    wideValue,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.array(fc.tuple(anyKey, tie("value")), { maxLength: 3 }).map(objectOf),
  ),
})).value;

// ------------------------------------------------- values a schema accepts

export interface Fixtures {
  /** Ids that exist (products), so a valid id reaches the store. */
  ids: string[];
}

/** The shop's test cards (docs/api.md), so some checkouts get past validation. */
const TEST_CARDS = ["4242424242424242", "4000000000000002", "4000000000009995"];

function validValue(schema: JsonSchema, name: string, fixtures: Fixtures): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(validValue(schema.items ?? {}, name, fixtures), { maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case "object":
      return validObject(schema, fixtures);
    case "string":
      if (name === "cardNumber") return fc.constantFrom(...TEST_CARDS);
      if (schema.pattern === "^[0-9a-f]{24}$" && fixtures.ids.length) {
        return fc.oneof(fc.constantFrom(...fixtures.ids), fc.stringMatching(/^[0-9a-f]{24}$/));
      }
      if (schema.format === "email") return fc.emailAddress();
      if (schema.format === "uri") return fc.webUrl();
      if (schema.pattern) {
        const max = schema.maxLength ?? 40;
        return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= max);
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 20) });
    default:
      return leaf;
  }
}

function validObject(schema: JsonSchema, fixtures: Fixtures): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const model = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, validValue(s, k, fixtures)]));
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in props) });
}

/** A body valid for the schema but for one or two values (a schema field, an unknown key, a prototype key). */
function mutatedBody(schema: JsonSchema, fixtures: Fixtures): fc.Arbitrary<unknown> {
  const fields = Object.keys(schema.properties ?? {});
  const key = fields.length ? fc.oneof(fc.constantFrom(...fields), anyKey) : anyKey;
  return fc
    .tuple(validObject(schema, fixtures), fc.array(fc.tuple(key, hostileValue), { minLength: 1, maxLength: 2 }))
    .map(([body, changes]) => objectOf([...Object.entries(body), ...changes]));
}

// ------------------------------------------------------------- bodies

const GZIP_BOMB = zlib.gzipSync(Buffer.alloc(5_000_000, "0"));

export const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "application/json; charset=utf-16",
  "APPLICATION/JSON",
  "application/json;;;",
  "application/vnd.api+json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=xyz",
  "application/xml",
  "",
  "}{",
];

type Encoding = { header?: string; encode: (b: Buffer) => Buffer };
export const ENCODINGS: Record<string, Encoding> = {
  none: { encode: (b) => b },
  gzip: { header: "gzip", encode: (b) => zlib.gzipSync(b) },
  deflate: { header: "deflate", encode: (b) => zlib.deflateSync(b) },
  br: { header: "br", encode: (b) => zlib.brotliCompressSync(b) },
  "gzip, not compressed": { header: "gzip", encode: (b) => b },
  "deflate, not compressed": { header: "deflate", encode: (b) => b },
  "br, not compressed": { header: "br", encode: (b) => b },
  "gzip, truncated": { header: "gzip", encode: (b) => zlib.gzipSync(b).subarray(0, 12) },
  "gzip bomb (5 MB of zeros)": { header: "gzip", encode: () => GZIP_BOMB },
  identity: { header: "identity", encode: (b) => b },
  zstd: { header: "zstd", encode: (b) => b },
  compress: { header: "compress", encode: (b) => b },
  "gzip, br": { header: "gzip, br", encode: (b) => zlib.gzipSync(b) },
};

const rawText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom(
    "{",
    '{"a":',
    "[]]",
    "\ufeff{}",
    '{"a":1,"a":2}',
    "{'a':1}",
    "NaN",
    "",
    "   ",
    "null",
    '"x"',
    "1e999",
  ),
  fc.integer({ min: 100_000, max: 400_000 }).map((n) => `{"q":"${"y".repeat(n)}"}`),
);

interface BodyPlan {
  text?: string;
  kind: string;
}

function bodyFor(op: Operation, fixtures: Fixtures): fc.Arbitrary<BodyPlan> {
  const json = (kind: string) => (v: unknown) => ({ text: JSON.stringify(v), kind });
  const options: fc.Arbitrary<BodyPlan>[] = [
    fc.constant({ kind: "none" }),
    hostileValue.map(json("hostile JSON")),
    rawText.map((text) => ({ text, kind: "raw text" })),
  ];
  if (op.body) {
    options.push(validObject(op.body, fixtures).map(json("valid JSON")));
    options.push(mutatedBody(op.body, fixtures).map(json("one hostile value")));
    options.push(mutatedBody(op.body, fixtures).map(json("one hostile value")));
  }
  return fc.oneof(...options);
}

// ------------------------------------------------------------- targets

/** Percent-encoding of any string; a lone surrogate (which encodeURIComponent refuses) goes as U+FFFD. */
const encode = (s: string) => encodeURIComponent(Buffer.from(s).toString());

/** Path segments, already as sent: odd, malformed percent-encoding, huge. */
export const ODD_SEGMENTS = [
  "",
  "%",
  "%E0%A4%A",
  "%C0%AF",
  "%00",
  "%2F",
  "..",
  "..%2F..%2Fetc%2Fpasswd",
  "%24gt",
  "__proto__",
  "constructor",
  "prototype",
  "null",
  "undefined",
  "-1",
  "1e999",
  "%F0%9F%92%A9",
  "0123456789ABCDEF01234567",
  "a".repeat(3_000),
];

function segment(schema: JsonSchema, name: string, fixtures: Fixtures): fc.Arbitrary<string> {
  return fc.oneof(
    validValue(schema, name, fixtures).map((v) => encode(String(v))),
    fc.constantFrom(...ODD_SEGMENTS),
    fc.string({ unit: "binary", maxLength: 30 }).map(encodeURIComponent),
  );
}

const QUERY_KEYS = [
  "q[$gt]",
  "sort[$ne]",
  "category[$where]",
  "__proto__[polluted]",
  "constructor[prototype][polluted]",
];
const ODD_QUERY_VALUES = ["%", "%E0%A4%A", "%00", "[]", "{}", "1e999", "-0", "c".repeat(3_000)];

function queryFor(op: Operation, fixtures: Fixtures): fc.Arbitrary<string> {
  const valid = op.queryParams.map((p) =>
    validValue(p.schema, p.name, fixtures).map((v) => `${p.name}=${encode(String(v))}`),
  );
  const names = op.queryParams.map((p) => p.name);
  const hostile = fc
    .tuple(
      fc.oneof(
        fc.constantFrom(...QUERY_KEYS, ...names.map((n) => `${n}[]`), ...names.map((n) => `${n}[$ne]`)),
        fc.string(),
      ),
      fc.oneof(
        fc.constantFrom(...ODD_QUERY_VALUES),
        fc
          .oneof(smallLeaf, operatorValue, protoValue)
          .map((v) => encode(typeof v === "string" ? v : (JSON.stringify(v) ?? ""))),
      ),
    )
    .map(([k, v]) => `${/^[\w[\]$]*$/.test(k) ? k : encode(k)}=${v}`);
  return fc
    .array(fc.oneof(...valid, hostile), { maxLength: 4 })
    .map((pairs) => (pairs.length ? `?${pairs.join("&")}` : ""));
}

function targetFor(op: Operation, fixtures: Fixtures): fc.Arbitrary<string> {
  const segments = op.pathParams.map((p) => segment(p.schema, p.name, fixtures));
  return fc
    .tuple(fc.tuple(...segments), queryFor(op, fixtures), fc.constantFrom("", "", "", "/"))
    .map(([values, query, slash]) => {
      let path = op.path;
      op.pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, values[i])));
      return path + slash + query;
    });
}

// ------------------------------------------------------------- headers

const headerText = fc.string({ unit: "grapheme-ascii", maxLength: 40 });

const extraHeaders: fc.Arbitrary<Record<string, string>> = fc
  .array(
    fc.oneof(
      fc.tuple(
        fc.constantFrom("x-request-id", "traceparent", "idempotency-key", "cookie", "accept", "origin"),
        headerText,
      ),
      fc.tuple(fc.constant("idempotency-key"), fc.uuid()),
      fc.tuple(
        fc.constant("x-huge"),
        fc.integer({ min: 1_000, max: 12_000 }).map((n) => "h".repeat(n)),
      ),
      fc.tuple(fc.constant("cookie"), fc.constantFrom("agora_session=%E0%A4%A", "agora_session=x.y.z", "=;;;=")),
      fc.integer({ min: 50, max: 400 }).map((n): [string, string] => ["x-many", String(n)]),
    ),
    { maxLength: 3 },
  )
  .map((pairs) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of pairs) {
      if (name === "x-many") for (let i = 0; i < Number(value); i++) headers[`x-many-${i}`] = "v";
      else headers[name] = value;
    }
    return headers;
  });

/** A request for one operation of the document, or for its path with another method. */
export function hostileRequest(op: Operation, fixtures: Fixtures): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      role: fc.constantFrom<Role>("anonymous", "customer", "admin", "bad token"),
      method: fc.oneof({ weight: 3, arbitrary: fc.constant(op.method) }, fc.constantFrom(...METHODS)),
      target: targetFor(op, fixtures),
      body: bodyFor(op, fixtures),
      contentType: fc.oneof(
        { weight: 3, arbitrary: fc.constant("application/json") },
        fc.constantFrom(...CONTENT_TYPES),
      ),
      encoding: fc.oneof({ weight: 4, arbitrary: fc.constant("none") }, fc.constantFrom(...Object.keys(ENCODINGS))),
      headers: extraHeaders,
      // Over Node's 16 KB for the request line and headers (431); rare, or it would hide everything else.
      oversize: fc.oneof(
        { weight: 12, arbitrary: fc.constant(undefined) },
        fc.record({
          where: fc.constantFrom("header", "path", "query"),
          size: fc.integer({ min: 17_000, max: 40_000 }),
        }),
      ),
    })
    .map(({ role, method, target, body, contentType, encoding, headers, oversize }) => {
      const all: Record<string, string> = { ...headers };
      if (oversize?.where === "header") all["x-huge"] = "h".repeat(oversize.size);
      if (oversize?.where === "path") target = `${target.split("?")[0]}/${"p".repeat(oversize.size)}`;
      if (oversize?.where === "query") target += `${target.includes("?") ? "&" : "?"}q=${"q".repeat(oversize.size)}`;
      let bytes: Buffer | undefined;
      let bodyKind = body.kind;
      if (body.text !== undefined) {
        const enc = ENCODINGS[encoding];
        bytes = enc.encode(Buffer.from(body.text));
        if (enc.header) all["content-encoding"] = enc.header;
        if (contentType) all["content-type"] = contentType;
        bodyKind += `, ${encoding}, ${contentType || "no content type"}`;
      }
      const request: HostileRequest = { role, method, target, headers: all, body: bytes, bodyKind };
      // fast-check prints a counterexample with this, not as a 20 kB JSON dump.
      return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
    });
}

/** A short, readable account of a request (values cut to a few dozen characters). */
export function describeRequest(r: HostileRequest): string {
  const cut = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
  const headers = Object.entries(r.headers)
    .filter(([k]) => !k.startsWith("x-many-"))
    .map(([k, v]) => `${k}: ${cut(v, 60)}`);
  const many = Object.keys(r.headers).filter((k) => k.startsWith("x-many-")).length;
  if (many) headers.push(`(${many} x-many-N headers)`);
  const body = r.body ? `${r.bodyKind}: ${cut(r.body.toString("latin1"))}` : "no body";
  return `${r.method} ${cut(r.target)} as ${r.role}\n  headers: ${headers.join("; ") || "none"}\n  body: ${body}`;
}
