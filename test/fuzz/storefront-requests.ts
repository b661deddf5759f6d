import fc from "fast-check";
import { webContract } from "../../contracts/web";
import {
  CONTENT_TYPES,
  describeRequest,
  ENCODINGS,
  METHODS,
  ODD_SEGMENTS,
  OPERATORS,
  PROTO_KEYS,
  smallLeaf,
  type HostileRequest,
} from "./hostile-requests";

/**
 * Generators of hostile requests to the storefront's HTML routes (the page
 * table's URLs, not in the OpenAPI document): each route with its own method
 * or another, with and without a session (a real one, a forged one, an
 * oversized cookie), with the visitor's form token, none, a forged one or
 * another visitor's, from this site or another, and form fields that are
 * nested, operator-shaped, huge, not UTF-8, in the wrong content type or a
 * broken encoding.
 */

/** Who sends a request: one of the test's signed-in visitors, or a forged cookie. */
export type Visit = "anonymous" | "customer" | "admin" | "forged session" | "oversized cookie";

export interface StorefrontRoute {
  method: string;
  /** "/products/:id" */
  path: string;
  /** The web action: its params schema names the form fields. */
  action: string;
}

export interface Visitors {
  /** Cookie header and form token per visitor ("" for the anonymous one without cookies). */
  [visit: string]: { cookie: string; csrf: string };
}

/** The page routes of the gateway ("GET /cart" → "web.cart" ...). */
export function storefrontRoutes(aliases: Record<string, string>): StorefrontRoute[] {
  return Object.entries(aliases)
    .filter(([, action]) => action.startsWith("web."))
    .map(([route, action]) => {
      const [method, path] = route.split(" ");
      return { method, path, action: action.slice(4) };
    });
}

function fieldsOf(action: string): string[] {
  const def = (webContract.actions as Record<string, { params: Record<string, unknown> }>)[action];
  return Object.keys(def?.params ?? {}).filter((k) => !k.startsWith("$$"));
}

const percent = (b: Buffer) => [...b].map((x) => `%${x.toString(16).padStart(2, "0").toUpperCase()}`).join("");

/** A form value as sent (already percent-encoded, or deliberately not). */
const formValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: smallLeaf.map((v) => encodeURIComponent(Buffer.from(String(v)).toString())) },
  fc.constantFrom("1", "0", "-1", "99999999999", "4242424242424242", "12/30", "12/20", "123", "EUR", "a@b.co"),
  // Not UTF-8: lone continuation bytes, an overlong slash, a truncated sequence, raw 0xFF.
  fc.constantFrom("%FF%FE", "%C0%AF", "%E0%A4", "%80", "\xff\xfe", "%"),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((b) => percent(Buffer.from(b))),
  fc.integer({ min: 1_000, max: 40_000 }).map((n) => "x".repeat(n)),
);

/** A form field's name: the action's own, nested, operator-shaped, a prototype key, or noise. */
function fieldName(fields: string[]): fc.Arbitrary<string> {
  const own = fields.length ? fc.constantFrom(...fields) : fc.constant("q");
  return fc.oneof(
    { weight: 4, arbitrary: own },
    fc.tuple(own, fc.constantFrom(...OPERATORS)).map(([f, op]) => `${f}[${op}]`),
    fc.tuple(own, fc.constantFrom("[]", "[a][b][c]", "[0]", ".x", "[__proto__]")).map(([f, s]) => f + s),
    fc.constantFrom(...PROTO_KEYS, "__proto__[polluted]", "constructor[prototype][polluted]", "role", "userId"),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
}

/** The form's fields as `name=value&...`, with the form token as the test chose. */
function formFields(fields: string[]): fc.Arbitrary<string[]> {
  return fc.array(
    fc.tuple(fieldName(fields), formValue).map(([k, v]) => `${k}=${v}`),
    { maxLength: 6 },
  );
}

function segment(ids: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ids) },
    fc.stringMatching(/^[0-9a-f]{24}$/),
    fc.constantFrom(...ODD_SEGMENTS),
  );
}

const FORM = "application/x-www-form-urlencoded";
const CSRF = ["the visitor's", "missing", "forged", "another visitor's", "twice"] as const;
const ORIGINS = ["none", "same", "foreign", "null"] as const;

/** A hostile request to one storefront route. */
export function storefrontRequest(
  route: StorefrontRoute,
  visitors: Visitors,
  ids: string[],
): fc.Arbitrary<HostileRequest & { visit: Visit }> {
  const fields = fieldsOf(route.action).filter((f) => f !== "_csrf");
  const params = route.path.match(/:\w+/g) ?? [];
  return fc
    .record({
      visit: fc.constantFrom<Visit>("anonymous", "customer", "admin", "forged session", "oversized cookie"),
      method: fc.oneof({ weight: 4, arbitrary: fc.constant(route.method) }, fc.constantFrom(...METHODS)),
      segments: fc.tuple(...params.map(() => segment(ids))),
      query: formFields(fields),
      fields: formFields(fields),
      csrf: fc.constantFrom(...CSRF),
      origin: fc.constantFrom(...ORIGINS),
      contentType: fc.oneof({ weight: 4, arbitrary: fc.constant(FORM) }, fc.constantFrom(...CONTENT_TYPES)),
      encoding: fc.oneof({ weight: 4, arbitrary: fc.constant("none") }, fc.constantFrom(...Object.keys(ENCODINGS))),
    })
    .map(({ visit, method, segments, query, fields: pairs, csrf, origin, contentType, encoding }) => {
      let path = route.path;
      params.forEach((p, i) => (path = path.replace(p, segments[i])));
      const target = path + (method === "GET" && query.length ? `?${query.join("&")}` : "");
      const own = visitors[visit === "admin" || visit === "customer" ? visit : "anonymous"];
      const other = visitors[visit === "admin" ? "customer" : "admin"];
      const headers: Record<string, string> = { host: "storefront.test" };
      if (visit === "forged session") headers.cookie = `${own.cookie}; agora_session=eyJhbGciOiJub25lIn0.e30.`;
      else if (visit === "oversized cookie")
        headers.cookie = `agora_session=${"s".repeat(6_000)}; agora_csrf=${"n".repeat(300)}`;
      else if (own.cookie) headers.cookie = own.cookie;
      if (origin === "same") headers.origin = "http://storefront.test";
      if (origin === "foreign") headers.origin = "https://evil.example";
      if (origin === "null") headers.origin = "null";
      const token = {
        "the visitor's": own.csrf,
        missing: "",
        forged: "Zm9yZ2Vk",
        "another visitor's": other.csrf,
        twice: own.csrf,
      }[csrf];
      const form = [...pairs];
      if (token) form.push(`_csrf=${encodeURIComponent(token)}`);
      if (csrf === "twice") form.push(`_csrf=${encodeURIComponent(other.csrf)}`);
      let body: Buffer | undefined;
      let bodyKind = "no body";
      if (method !== "GET" && method !== "HEAD") {
        const enc = ENCODINGS[encoding];
        body = enc.encode(Buffer.from(form.join("&"), "latin1"));
        if (enc.header) headers["content-encoding"] = enc.header;
        if (contentType) headers["content-type"] = contentType;
        bodyKind = `form (${visit}, ${csrf} token, origin ${origin}), ${encoding}, ${contentType || "no content type"}`;
      }
      const request = { role: "anonymous" as const, visit, method, target, headers, body, bodyKind };
      return Object.assign(request, { [fc.toStringMethod]: () => `${describeRequest(request)} [${visit}]` });
    });
}
