import { call, type Page, type Product } from "../../contracts";
import { faultInjection } from "../../dev/fault-injection";
import config from "../../moleculer.config";
import { loadConfig } from "../../platform/config";
import { request } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";

/**
 * The two settings of degraded answers (docs/fault-isolation.md), each read
 * where it is used: UNAVAILABLE_RETRY_AFTER (the 503's Retry-After, at the
 * gateway) and CATALOG_STOCK_TIMEOUT_MS (how long a product read waits for
 * inventory before answering `available: null`).
 */
describe("settings of degraded answers", () => {
  afterEach(() => {
    delete process.env.UNAVAILABLE_RETRY_AFTER;
    delete process.env.CATALOG_STOCK_TIMEOUT_MS;
  });

  describe("UNAVAILABLE_RETRY_AFTER", () => {
    let node: TestNode;
    // No users service: a request with a token cannot be authenticated, so the gateway answers its 503.
    beforeAll(async () => {
      node = await startNode(["api", "catalog"]);
    });
    afterAll(() => node?.stop());

    const withToken = () => request(node.url, "GET", "/api/v1/products", { token: "a.b.c" });

    it("defaults to 5 seconds", async () => {
      const res = await withToken();
      expect([res.status, res.headers.get("retry-after"), (res.body as { data?: unknown }).data]).toEqual([
        503,
        "5",
        { unavailable: ["users"], done: false, retryAfter: 5 },
      ]);
    });

    it("a changed value is the Retry-After header and data.retryAfter", async () => {
      process.env.UNAVAILABLE_RETRY_AFTER = "17";
      const res = await withToken();
      expect([res.status, res.headers.get("retry-after"), (res.body as { data?: unknown }).data]).toEqual([
        503,
        "17",
        { unavailable: ["users"], done: false, retryAfter: 17 },
      ]);
    });

    it("a malformed value is refused, naming the variable", () => {
      process.env.UNAVAILABLE_RETRY_AFTER = "soon";
      expect(() => loadConfig(process.env)).toThrow(/UNAVAILABLE_RETRY_AFTER="soon"/);
    });
  });

  describe("CATALOG_STOCK_TIMEOUT_MS", () => {
    let node: TestNode;
    // Inventory answers every availability question 1.5 s late.
    beforeAll(async () => {
      node = await startNode(["catalog", "inventory"], {
        middlewares: [...(config.middlewares ?? []), faultInjection("inventory.availability=delay:1500")],
      });
    });
    afterAll(() => node?.stop());

    const availability = async () =>
      ((await call(node.broker, "catalog.list", { pageSize: 3 })) as Page<Product>).rows.map((p) => p.available);

    it("the default (1 s) gives up on a 1.5 s inventory: stock unknown, not 0", async () => {
      expect(await availability()).toEqual([null, null, null]);
    });

    it("a longer timeout waits for it: stock known", async () => {
      process.env.CATALOG_STOCK_TIMEOUT_MS = "60000";
      const available = await availability();
      expect(available).toHaveLength(3);
      expect(available.every((n) => typeof n === "number")).toBe(true);
    });
  });
});
