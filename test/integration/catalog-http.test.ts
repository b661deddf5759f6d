import type { Page, Product } from "../../contracts";
import { get, request } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";

/** The catalog through the gateway: real HTTP on an ephemeral port, in-memory store. */
describe("catalog over REST", () => {
  let node: TestNode;

  beforeAll(async () => {
    node = await startNode(["api", "catalog"]);
  });
  afterAll(() => node.stop());

  const list = (query = "") => get<Page<Product>>(node.url, `/api/v1/products${query}`);

  it("lists the seeded catalog with pagination metadata", async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(res.body.total).toBeGreaterThanOrEqual(20);
    expect(res.body).toMatchObject({ page: 1, pageSize: 20 });
    expect(res.body.rows).toHaveLength(20);
    expect(res.body.totalPages).toBe(Math.ceil(res.body.total / 20));
  });

  it("pages through the whole catalog without repeats", async () => {
    const first = await list("?pageSize=10&page=1");
    const seen = new Set<string>();
    for (let page = 1; page <= first.body.totalPages; page++) {
      const res = await list(`?pageSize=10&page=${page}`);
      res.body.rows.forEach((p) => seen.add(p.id));
    }
    expect(seen.size).toBe(first.body.total);
  });

  it("sorts by a whitelisted field", async () => {
    const res = await list("?sort=-priceCents&pageSize=100");
    const prices = res.body.rows.map((p) => p.priceCents);
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
  });

  it("filters by category and by text", async () => {
    const kitchen = await list("?category=kitchen&pageSize=100");
    expect(kitchen.body.total).toBeGreaterThan(0);
    expect(kitchen.body.rows.every((p) => p.category === "kitchen")).toBe(true);

    const mugs = await list("?q=MUG");
    expect(mugs.body.rows.map((p) => p.sku).sort()).toEqual(["MUG-001", "MUG-002"]);

    const regexAttempt = await list(`?q=${encodeURIComponent(".*")}`);
    expect(regexAttempt.status).toBe(200);
    expect(regexAttempt.body.total).toBe(0);
  });

  it("gets one product, and answers 404 for an unknown id", async () => {
    const [first] = (await list()).body.rows;
    const res = await get<Product>(node.url, `/api/v1/products/${first.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(first);

    const missing = await get(node.url, "/api/v1/products/ffffffffffffffffffffffff");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ name: "NotFoundError", code: 404, type: "NOT_FOUND" });
  });

  it.each([
    ["pageSize too large", "?pageSize=100000", "pageSize"],
    ["pageSize zero", "?pageSize=0", "pageSize"],
    ["negative page", "?page=-1", "page"],
    ["page not a number", "?page=abc", "page"],
    ["unknown sort", "?sort=password", "sort"],
    ["operator injection in category", "?category[$ne]=x", "category"],
    ["operator injection in q", "?q[$regex]=.*", "q"],
    ["huge q", `?q=${"x".repeat(5000)}`, "q"],
  ])("rejects %s with 422 naming the field", async (_case, query, field) => {
    const res = await list(query);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ name: "ValidationError", code: 422, type: "VALIDATION_ERROR" });
    const fields = (res.body as unknown as { data: { field: string }[] }).data.map((d) => d.field);
    expect(fields).toContain(field);
    expect(res.text).not.toMatch(/\bat .*\.(js|ts):\d+/); // no stack trace
  });

  it("answers a malformed id with 422, never 500", async () => {
    for (const id of ["nope", "1", "%24ne", "x".repeat(300)]) {
      const res = await get(node.url, `/api/v1/products/${id}`);
      expect(res.status).toBe(422);
    }
  });

  it("does not let anonymous callers mutate, nor reach internal actions", async () => {
    const create = await request(node.url, "POST", "/api/v1/products", { body: { sku: "X-1" } });
    expect([401, 404]).toContain(create.status);
    expect((await list()).body.rows.some((p) => p.sku === "X-1")).toBe(false);
    expect((await get(node.url, "/api/v1/catalog/list")).status).toBe(404);
    expect((await get(node.url, "/api/v1/api/list-aliases")).status).toBe(404);
    expect((await get(node.url, "/api/v1/~node/list")).status).toBe(404);
  });

  it("serves fresh data after a write made through the broker (cache invalidation)", async () => {
    const [first] = (await list("?sort=name")).body.rows;
    await get(node.url, `/api/v1/products/${first.id}`); // cached now
    await node.broker.call("catalog.update", { id: first.id, name: "Renamed Product" });
    const after = await get<Product>(node.url, `/api/v1/products/${first.id}`);
    expect(after.body.name).toBe("Renamed Product");
    const listed = await list("?q=Renamed");
    expect(listed.body.rows.map((p) => p.id)).toEqual([first.id]);
  });

  it("accepts or generates X-Request-Id and echoes it", async () => {
    const mine = await get(node.url, "/api/v1/products?pageSize=1", { headers: { "x-request-id": "req-12345" } });
    expect(mine.headers.get("x-request-id")).toBe("req-12345");
    const generated = await get(node.url, "/api/v1/products?pageSize=1");
    expect(generated.headers.get("x-request-id")).toMatch(/\S{8,}/);
  });

  it("answers the health check and unknown routes with JSON", async () => {
    expect((await get(node.url, "/healthz")).body).toMatchObject({ status: "ok" });
    const unknown = await get(node.url, "/api/v1/nothing-here");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 404 });
  });
});
