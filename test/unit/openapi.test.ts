import SwaggerParser from "@apidevtools/swagger-parser";
import { clientAddress, retryAfterSeconds } from "../../platform/gateway/auth-rate-limit";
import { bearerToken } from "../../platform/gateway/bearer";
import { toJsonSchema, ruleObject } from "../../platform/gateway/json-schema";
import { buildOpenApi, openApiPath, type ActionInfo, type RouteAlias } from "../../platform/gateway/openapi";
import type { IncomingMessage } from "node:http";

describe("fastest-validator rule → JSON Schema", () => {
  it.each([
    [
      { type: "string", min: 2, max: 32, pattern: /^[A-Z]+$/ },
      { type: "string", minLength: 2, maxLength: 32, pattern: "^[A-Z]+$" },
    ],
    [
      { type: "string", length: 3 },
      { type: "string", minLength: 3, maxLength: 3 },
    ],
    [
      { type: "string", empty: false },
      { type: "string", minLength: 1 },
    ],
    [
      { type: "number", integer: true, min: 1, max: 100, convert: true },
      { type: "integer", minimum: 1, maximum: 100 },
    ],
    [
      { type: "number", positive: true },
      { type: "number", minimum: 0, exclusiveMinimum: true },
    ],
    [{ type: "boolean", convert: true }, { type: "boolean" }],
    [
      { type: "email", max: 254 },
      { type: "string", format: "email", maxLength: 254 },
    ],
    [{ type: "url" }, { type: "string", format: "uri" }],
    [
      { type: "enum", values: ["a", "b"] },
      { type: "string", enum: ["a", "b"] },
    ],
    [{ type: "enum", values: [1, 2] }, { enum: [1, 2] }],
    [
      { type: "array", items: { type: "string", max: 5 }, max: 20, unique: true },
      { type: "array", items: { type: "string", maxLength: 5 }, maxItems: 20, uniqueItems: true },
    ],
    [{ type: "date" }, { type: "string", format: "date-time" }],
    [{ type: "any" }, {}],
    [{ type: "custom", check: () => true }, {}],
    [
      { type: "string", nullable: true, default: "x" },
      { type: "string", nullable: true, default: "x" },
    ],
    ["string|min:3|optional", { type: "string", minLength: 3 }],
    [[{ type: "string" }, { type: "number" }], { oneOf: [{ type: "string" }, { type: "number" }] }],
  ])("%p", (rule, schema) => {
    expect(toJsonSchema(rule)).toEqual(schema);
  });

  it("maps objects with required and optional props, and strictness", () => {
    expect(
      toJsonSchema({
        type: "object",
        strict: true,
        props: { a: { type: "string" }, b: { type: "number", optional: true }, c: { type: "forbidden" } },
      }),
    ).toEqual({
      type: "object",
      properties: { a: { type: "string" }, b: { type: "number" } },
      required: ["a"],
      additionalProperties: false,
    });
  });

  it("parses the string shorthand", () => {
    expect(ruleObject("number|integer|min:0|optional")).toEqual({
      type: "number",
      integer: true,
      min: 0,
      optional: true,
    });
  });
});

describe("buildOpenApi", () => {
  const actions: ActionInfo[] = [
    {
      name: "things.list",
      auth: "public",
      params: { $$strict: "remove", page: { type: "number", integer: true, min: 1, optional: true } },
    },
    {
      name: "things.create",
      auth: "admin",
      restStatus: 201,
      params: {
        $$strict: true,
        name: { type: "string", min: 1 },
        tags: { type: "array", items: "string", optional: true },
      },
    },
    {
      name: "things.update",
      auth: "customer",
      params: {
        $$strict: true,
        id: { type: "string", pattern: /^[0-9a-f]{24}$/ },
        name: { type: "string", optional: true },
      },
    },
    { name: "things.remove", auth: "admin", params: { id: { type: "string" } } },
  ];
  const aliases: RouteAlias[] = [
    { method: "GET", fullPath: "/api/v1/things", action: "things.list" },
    { method: "POST", fullPath: "/api/v1/things", action: "things.create" },
    { method: "PATCH", fullPath: "/api/v1/things/:id", action: "things.update" },
    { method: "DELETE", fullPath: "/api/v1/things/:id", action: "things.remove" },
    { method: "GET", fullPath: "/healthz" },
    // Its service is gone: not served, so not documented.
    { method: "GET", fullPath: "/api/v1/gone", action: "gone.list" },
  ];
  const thing = {
    type: "object",
    strict: true,
    props: { id: { type: "string" }, note: { type: "string", optional: true, nullable: true } },
  };
  const declared = new Map([
    ["things.list", { result: { type: "array", items: thing } }],
    [
      "things.create",
      {
        result: thing,
        errors: {
          409: "A thing with this name exists",
          402: { description: "Declined", data: { type: "object", props: { thing } } },
        },
      },
    ],
  ]);
  const routes = {
    "GET /healthz": { "200": { description: "Alive", type: "application/json", schema: { type: "object" } } },
  };
  const doc = buildOpenApi(aliases, actions, {
    title: "T",
    version: "1",
    rateLimited: new Set(["things.create"]),
    declared,
    routes,
  }) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };

  it("is a valid OpenAPI 3.0 document", async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it("has one operation per served alias, with path params in braces", () => {
    expect(Object.keys(doc.paths).sort()).toEqual(["/api/v1/things", "/api/v1/things/{id}", "/healthz"]);
    expect(Object.keys(doc.paths["/api/v1/things/{id}"]).sort()).toEqual(["delete", "patch"]);
    expect(openApiPath("/a/:id/b/:name")).toEqual({ path: "/a/{id}/b/{name}", params: ["id", "name"] });
  });

  it("puts GET params in the query, others in a JSON body, path params in the path", () => {
    const list = doc.paths["/api/v1/things"].get;
    expect(list.parameters).toEqual([
      { name: "page", in: "query", required: false, schema: { type: "integer", minimum: 1 } },
    ]);
    expect(list.requestBody).toBeUndefined();
    const update = doc.paths["/api/v1/things/{id}"].patch as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(update.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^[0-9a-f]{24}$" } },
    ]);
    expect(update.requestBody.content["application/json"].schema).toEqual({
      type: "object",
      properties: { name: { type: "string" } },
      additionalProperties: false,
    });
    expect(update.requestBody.required).toBe(false);
  });

  it("documents access, success status and the errors each route can answer", () => {
    const create = doc.paths["/api/v1/things"].post;
    expect(create.security).toEqual([{ bearerAuth: [] }]);
    expect(create["x-access"]).toBe("admin");
    expect(Object.keys(create.responses as object).sort()).toEqual([
      "201",
      "400",
      "401",
      "402",
      "403",
      "409",
      "422",
      "429",
      "500",
      "503",
    ]);
    const list = doc.paths["/api/v1/things"].get;
    expect(list.security).toEqual([]);
    expect(Object.keys(list.responses as object).sort()).toEqual(["200", "422", "500", "503"]);
    const update = doc.paths["/api/v1/things/{id}"].patch;
    expect(Object.keys(update.responses as object).sort()).toEqual(["200", "400", "401", "404", "422", "500", "503"]);
  });

  describe("responses", () => {
    type Responses = Record<string, { description: string; content: Record<string, { schema: unknown }> }>;
    const responses = (path: string, method: string) => doc.paths[path][method].responses as Responses;

    it("documents each success with its contract's result schema", () => {
      const thingSchema = {
        type: "object",
        properties: { id: { type: "string" }, note: { type: "string", nullable: true } },
        required: ["id"],
        additionalProperties: false,
      };
      expect(responses("/api/v1/things", "post")["201"].content["application/json"].schema).toEqual(thingSchema);
      expect(responses("/api/v1/things", "get")["200"].content["application/json"].schema).toEqual({
        type: "array",
        items: thingSchema,
      });
    });

    it("documents the errors an action declares, in the gateway's error body", () => {
      expect(responses("/api/v1/things", "post")["409"]).toEqual({
        description: "A thing with this name exists",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      });
      expect(responses("/api/v1/things", "post")["402"].content["application/json"].schema).toEqual({
        allOf: [
          { $ref: "#/components/schemas/Error" },
          {
            type: "object",
            required: ["data"],
            properties: {
              data: {
                type: "object",
                properties: { thing: expect.objectContaining({ type: "object" }) },
                required: ["thing"],
              },
            },
          },
        ],
      });
    });

    it("documents a function route by what it declares", () => {
      expect(responses("/healthz", "get")["200"]).toEqual({
        description: "Alive",
        content: { "application/json": { schema: { type: "object" } } },
      });
    });
  });
});

describe("gateway helpers", () => {
  it("reads a Bearer token; no header is anonymous, anything else is a 401", () => {
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken("Bearer a.b.c")).toBe("a.b.c");
    expect(bearerToken("bearer a.b.c")).toBe("a.b.c");
    for (const bad of ["Basic abc", "Bearer", "Bearer a b", 'Bearer {"$ne":1}', `Bearer ${"a".repeat(5000)}`]) {
      expect(() => bearerToken(bad)).toThrow(expect.objectContaining({ code: 401 }));
    }
  });

  it("counts requests by socket address unless the proxy is trusted", () => {
    const req = { headers: { "x-forwarded-for": "203.0.113.9, 10.0.0.1" }, socket: { remoteAddress: "10.0.0.1" } };
    expect(clientAddress(req as unknown as IncomingMessage, false)).toBe("10.0.0.1");
    expect(clientAddress(req as unknown as IncomingMessage, true)).toBe("203.0.113.9");
  });

  it("says how many whole seconds to wait", () => {
    expect(retryAfterSeconds(10_500, 1_000)).toBe(10);
    expect(retryAfterSeconds(1_000, 1_000)).toBe(1);
    expect(retryAfterSeconds(undefined)).toBe(1);
  });
});
