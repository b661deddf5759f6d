import { Errors } from "moleculer";
import type { Product, Recommendation } from "../../contracts";
import { demoProductId } from "../../services/catalog/demo-products";
import { get, request } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";

/**
 * The catalog's side of GET /products/:id/recommendations, in one process.
 * The real recommendations service is the Go node (test/cluster/
 * recommendations-go.test.ts runs it); here a service of the same name in
 * this broker answers instead, so the catalog's part is checked on its own:
 * the ids resolved to products in their order, removed ones left out, errors.
 */
describe("GET /products/:id/recommendations (catalog side)", () => {
  let node: TestNode;
  let answer: (productId: string) => Recommendation | Error;
  const MUG = demoProductId("MUG-001");
  const KETTLE = demoProductId("KET-001");
  const GRINDER = demoProductId("GRN-001");
  const path = (id: string, query = "") => `/api/v1/products/${id}/recommendations${query}`;

  beforeAll(async () => {
    node = await startNode(["api", "catalog"]);
  });
  afterAll(() => node.stop());

  it("without any recommendations node: 200 with no rows, and the product page still works", async () => {
    const res = await get<{ rows: Product[] }>(node.url, path(MUG));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ rows: [] });
    expect((await get(node.url, `/api/v1/products/${MUG}`)).status).toBe(200);
  });

  it("validates its params and answers 404 for an unknown product", async () => {
    const bad = await get<{ name: string; data: { field: string }[] }>(node.url, path(MUG, "?limit=0"));
    expect(bad.status).toBe(422);
    expect(bad.body.data.map((d) => d.field)).toEqual(["limit"]);
    expect((await get(node.url, path("not-an-id"))).status).toBe(422);
    expect((await get(node.url, path("0123456789abcdef01234567"))).status).toBe(404);
  });

  describe("with a recommendations service answering", () => {
    beforeAll(async () => {
      node.broker.createService({
        name: "recommendations",
        actions: {
          forProduct(ctx) {
            const result = answer((ctx.params as { productId: string }).productId);
            if (result instanceof Error) throw result;
            return result;
          },
        },
      });
      await node.broker.waitForServices("recommendations");
    });

    it("resolves the ids to products, in their order, leaving out removed ones", async () => {
      answer = (productId) => ({
        productId,
        productIds: [GRINDER, "ffffffffffffffffffffffff", KETTLE],
        basis: "orders",
        nodeID: "stand-in",
      });
      const res = await get<{ rows: Product[] }>(node.url, path(MUG, "?limit=3"));
      expect(res.status).toBe(200);
      expect(res.body.rows.map((p) => p.id)).toEqual([GRINDER, KETTLE]);
      expect(res.body.rows[0]).toMatchObject({ sku: "GRN-001", category: "kitchen" });
    });

    it("passes on the service's own client errors, and treats its failures as nothing to recommend", async () => {
      answer = () => new Errors.MoleculerClientError("Product not found", 404, "NOT_FOUND");
      expect((await request(node.url, "GET", path(MUG))).status).toBe(404);
      answer = () => new Errors.MoleculerRetryableError("busy", 503, "BUSY");
      const res = await get<{ rows: Product[] }>(node.url, path(MUG));
      expect(res.status).toBe(200);
      expect(res.body.rows).toEqual([]);
    });
  });
});
