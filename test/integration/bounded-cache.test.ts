import type { LRUCache } from "lru-cache";
import { config } from "../../platform/config";
import type { ReadCache } from "../../platform/gateway/read-cache";
import { get } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";

/**
 * List results are cached per query, free text included, so a client that
 * sends ever new queries must not grow the caches without bound: the action
 * cache (Moleculer's MemoryLRU) and the gateway's read cache both stop at
 * CACHE_MAX entries, dropping the least recently used.
 */
describe("bounded caches under a stream of distinct list queries", () => {
  let node: TestNode;

  beforeAll(async () => {
    node = await startNode(["api", "catalog", "inventory"]);
  });
  afterAll(() => node?.stop());

  it("keeps at most CACHE_MAX entries in the action cache and in the gateway's cache", async () => {
    const max = config.CACHE_MAX;
    const actionCache = (node.broker.cacher as unknown as { cache: LRUCache<string, object> }).cache;
    const gatewayCache = (node.broker.getLocalService("api") as unknown as { readCache: ReadCache }).readCache;
    const queries = max * 2 + 100;
    let ok = 0;
    for (let i = 0; i < queries; i++) {
      const res = await get(node.url, `/api/v1/products?q=${encodeURIComponent(`no such thing ${i}`)}&pageSize=5`);
      if (res.status === 200) ok++;
    }
    expect(ok).toBe(queries);
    // Full, not just unused: every distinct query was kept until the bound dropped the oldest.
    expect(actionCache.size).toBe(max);
    expect(gatewayCache.size).toBe(max);
    expect(actionCache.max).toBe(max);
  }, 120_000);
});
