import SwaggerParser from "@apidevtools/swagger-parser";
import { get } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";

/** The served OpenAPI document is valid, complete and generated from the live routes; /api/docs renders it. */

let node: TestNode;
// Walking an arbitrary JSON document: a loose type keeps the assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Op = Record<string, any>;
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
};

beforeAll(async () => {
  node = await startNode(["api", "users", "catalog"]);
});
afterAll(async () => {
  await node?.stop();
});

describe("GET /api/openapi.json", () => {
  let doc: Doc;
  beforeAll(async () => {
    const res = await get<Doc>(node.url, "/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    doc = res.body;
  });

  it("is a valid OpenAPI 3 document (swagger-parser)", async () => {
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it("documents every route of the gateway's alias table, and nothing else", async () => {
    const aliases = (await node.broker.call("api.listAliases")) as {
      fullPath: string;
      methods: string;
      actionName?: string;
    }[];
    // The storefront's pages (web.*) answer HTML and are left out of the API's document.
    const live = aliases
      .filter((a) => !a.actionName?.startsWith("web."))
      .map((a) => `${a.methods} ${a.fullPath.replace(/:(\w+)/g, "{$1}")}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(live);
    expect(documented).toEqual(expect.arrayContaining(["POST /api/v1/auth/register", "GET /api/v1/products/{id}"]));
  });

  it("takes params, status and security from the action schemas", () => {
    const register = doc.paths["/api/v1/auth/register"].post as Op;
    expect(register.security).toEqual([]);
    expect(Object.keys(register.responses)).toEqual(expect.arrayContaining(["201", "422", "429"]));
    const body = register.requestBody.content["application/json"].schema;
    expect(body.required).toEqual(["email", "password", "name"]);
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.email).toMatchObject({ type: "string", format: "email", maxLength: 254 });
    expect(body.properties.password).toMatchObject({ type: "string", minLength: 8, maxLength: 128 });

    const me = doc.paths["/api/v1/me"].get as Op;
    expect(me.security).toEqual([{ bearerAuth: [] }]);
    expect(me.responses).toHaveProperty("401");

    const list = doc.paths["/api/v1/products"].get as Op;
    const pageSize = list.parameters.find((p: { name: string }) => p.name === "pageSize");
    expect(pageSize).toMatchObject({ in: "query", required: false, schema: { type: "integer", minimum: 1 } });

    const patch = doc.paths["/api/v1/products/{id}"].patch as Op;
    expect(patch["x-access"]).toBe("admin");
    expect(patch.responses).toHaveProperty("403");
    expect(patch.parameters[0]).toMatchObject({
      name: "id",
      in: "path",
      required: true,
      schema: { type: "string", pattern: "^[0-9a-f]{24}$" },
    });
    expect(patch.requestBody.content["application/json"].schema.properties).not.toHaveProperty("id");

    const create = doc.paths["/api/v1/products"].post as Op;
    expect(create.responses).toHaveProperty("201");
  });

  it("follows the live registry: a route appears when its service starts", async () => {
    await node.broker.createService({
      name: "probe",
      settings: { rest: "/" },
      actions: {
        ping: {
          rest: "GET /probe/:name",
          auth: "public",
          params: { name: { type: "string", max: 10 }, loud: { type: "boolean", optional: true, convert: true } },
          handler: () => "pong",
        },
      },
    });
    try {
      await waitFor(async () => {
        const res = await get<Doc>(node.url, "/api/openapi.json");
        return !!res.body.paths["/api/v1/probe/{name}"];
      });
      const res = await get<Doc>(node.url, "/api/openapi.json");
      const op = res.body.paths["/api/v1/probe/{name}"].get as Op;
      expect(op.parameters).toEqual([
        { name: "name", in: "path", required: true, schema: { type: "string", maxLength: 10 } },
        { name: "loud", in: "query", required: false, schema: { type: "boolean" } },
      ]);
    } finally {
      await node.broker.destroyService(node.broker.getLocalService("probe")!);
    }
  });
});

describe("GET /api/docs", () => {
  it("serves the swagger-ui page, its assets from the package and the init script", async () => {
    const page = await get(node.url, "/api/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain("/api/docs/swagger-ui-bundle.js");
    expect(page.text).not.toMatch(/https?:\/\//);

    for (const asset of ["/api/docs/swagger-ui-bundle.js", "/api/docs/swagger-ui.css"]) {
      const res = await fetch(node.url + asset);
      expect(res.status).toBe(200);
      expect((await res.text()).length).toBeGreaterThan(1000);
    }
    const init = await get(node.url, "/api/docs/agora-init.js");
    expect(init.status).toBe(200);
    expect(init.text).toContain("/api/openapi.json");
    expect((await fetch(node.url + "/api/docs/nothing-here.js")).status).toBe(404);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not met in time");
}
