import { LRUCache } from "lru-cache";

/**
 * The gateway's own cache of product reads, so that a read it has answered
 * before does not cross NATS again (and is not serialized again: entries are
 * the JSON bytes sent). Bounded (LRU) and short-lived (TTL) as a safety net;
 * correctness comes from invalidation: catalog writes clear it, stock changes
 * drop the entries that show those products (read-path.mixin.ts wires both).
 *
 * A read that was in flight while an invalidation happened is answered but not
 * kept: every invalidation moves the generation, and store() keeps a value
 * only if the generation it started under is still current.
 */

/** The gateway calls answered from the cache, with the params their results depend on. */
const CACHEABLE: Record<string, readonly string[]> = {
  "catalog.get": ["id"],
  "catalog.list": ["page", "pageSize", "sort", "category", "q"],
};

interface Entry {
  body: Buffer;
  productIds: string[];
}

interface ProductLike {
  id?: unknown;
  available?: unknown;
}

/** The product ids a catalog result shows, or null if it must not be kept (availability unknown). */
function productsOf(result: unknown): string[] | null {
  const rows = (result as { rows?: unknown }).rows;
  const products = (Array.isArray(rows) ? rows : [result]) as ProductLike[];
  const ids: string[] = [];
  for (const p of products) {
    if (typeof p?.id !== "string" || typeof p.available !== "number") return null;
    ids.push(p.id);
  }
  return ids;
}

export function readCacheKey(action: string, params: Record<string, unknown>): string | null {
  const fields = CACHEABLE[action];
  if (!fields) return null;
  return action + JSON.stringify(fields.map((f) => params[f] ?? null));
}

export class ReadCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly byProduct = new Map<string, Set<string>>();
  private current = 0;

  constructor({ max, ttlMs }: { max: number; ttlMs: number }) {
    this.entries = new LRUCache<string, Entry>({
      max,
      ttl: ttlMs > 0 ? ttlMs : undefined,
      dispose: (entry, key) => this.unindex(key, entry),
    });
  }

  get size(): number {
    return this.entries.size;
  }

  /** Taken before a read is sent; store() needs it. */
  get generation(): number {
    return this.current;
  }

  get(key: string): Buffer | undefined {
    return this.entries.get(key)?.body;
  }

  /** The result as the JSON bytes to send; kept unless something changed since `since`. */
  store(key: string, result: unknown, since: number): Buffer {
    const body = Buffer.from(JSON.stringify(result));
    const productIds = productsOf(result);
    if (since === this.current && productIds) {
      this.entries.set(key, { body, productIds });
      for (const id of productIds) {
        let keys = this.byProduct.get(id);
        if (!keys) this.byProduct.set(id, (keys = new Set()));
        keys.add(key);
      }
    }
    return body;
  }

  /** Stock of these products changed: drop every entry that shows one of them. */
  invalidateProducts(productIds: readonly string[]): void {
    this.current++;
    for (const id of productIds) {
      for (const key of [...(this.byProduct.get(id) ?? [])]) this.entries.delete(key);
    }
  }

  /** The catalog changed (a product created, edited, removed): any list may differ now. */
  clear(): void {
    this.current++;
    this.entries.clear();
  }

  private unindex(key: string, entry: Entry): void {
    for (const id of entry.productIds) {
      const keys = this.byProduct.get(id);
      keys?.delete(key);
      if (keys?.size === 0) this.byProduct.delete(id);
    }
  }
}
