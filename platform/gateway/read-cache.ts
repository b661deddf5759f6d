import { LRUCache } from "lru-cache";
import { contractActions } from "../contracts/declared";
import type { Invalidates, ServiceContract } from "../contracts/define";

/**
 * The gateway's own cache of the reads contracts declare cacheable
 * (`cache: {...}`, e.g. product reads), so that a read it has answered before
 * does not cross NATS again (and is not serialized again: entries are the JSON
 * bytes sent). Bounded (LRU) and short-lived (TTL) as a safety net;
 * correctness comes from invalidation: the writes and events the contracts
 * declare clear it or drop the entries that show the rows they name
 * (read-path.mixin.ts wires both).
 *
 * A read that was in flight while an invalidation happened is answered but not
 * kept: every invalidation moves the generation, and store() keeps a value
 * only if the generation it started under is still current.
 */

/** One cacheable read: the params its result depends on, and the field each row needs to be kept. */
export interface CacheableRead {
  fields: readonly string[];
  /** A row without this field as a number is partial (e.g. stock unknown): the answer is not kept. */
  keepsOnlyWith?: string;
}

/** What the contracts declare about the read cache: the cacheable reads, the events and writes that invalidate them. */
export function cacheDeclarations(contracts: readonly ServiceContract[]) {
  const reads = new Map<string, CacheableRead>();
  const writes = new Map<string, Invalidates>();
  const clearOn = new Set<string>();
  const dropOn = new Map<string, string>();
  for (const [name, def] of contractActions(contracts)) {
    if (def.invalidates) writes.set(name, def.invalidates);
    if (!def.cache) continue;
    const fields = Object.keys(def.params).filter((f) => !f.startsWith("$$"));
    reads.set(name, { fields, keepsOnlyWith: def.cache.keepsOnlyWith });
    for (const event of def.cache.clearOn) clearOn.add(event);
    for (const [event, field] of Object.entries(def.cache.dropOn)) dropOn.set(event, field);
  }
  return { reads, writes, clearOn, dropOn };
}

interface Entry {
  body: Buffer;
  rowIds: string[];
}

type Row = Record<string, unknown> | null | undefined;

/** The ids of the rows a result shows (a page's `rows`, or the result itself), or null if it must not be kept. */
function rowsOf(result: unknown, keepsOnlyWith: string | undefined): string[] | null {
  const rows = (result as { rows?: unknown }).rows;
  const shown = (Array.isArray(rows) ? rows : [result]) as Row[];
  const ids: string[] = [];
  for (const row of shown) {
    if (typeof row?.id !== "string") return null;
    if (keepsOnlyWith && typeof row[keepsOnlyWith] !== "number") return null;
    ids.push(row.id);
  }
  return ids;
}

export class ReadCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly byRow = new Map<string, Set<string>>();
  private readonly reads: ReadonlyMap<string, CacheableRead>;
  private current = 0;

  constructor({ max, ttlMs, reads }: { max: number; ttlMs: number; reads: ReadonlyMap<string, CacheableRead> }) {
    this.reads = reads;
    this.entries = new LRUCache<string, Entry>({
      max,
      ttl: ttlMs > 0 ? ttlMs : undefined,
      dispose: (entry, key) => this.unindex(key, entry),
    });
  }

  /** The key of a read the cache may answer, or null for any other call. */
  key(action: string, params: Record<string, unknown>): string | null {
    const read = this.reads.get(action);
    if (!read) return null;
    return action + JSON.stringify(read.fields.map((f) => params[f] ?? null));
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
    const action = key.slice(0, key.indexOf("["));
    const rowIds = rowsOf(result, this.reads.get(action)?.keepsOnlyWith);
    if (since === this.current && rowIds) {
      this.entries.set(key, { body, rowIds });
      for (const id of rowIds) {
        let keys = this.byRow.get(id);
        if (!keys) this.byRow.set(id, (keys = new Set()));
        keys.add(key);
      }
    }
    return body;
  }

  /** These rows changed (e.g. a product's stock): drop every entry that shows one of them. */
  invalidateRows(rowIds: readonly string[]): void {
    this.current++;
    for (const id of rowIds) {
      for (const key of [...(this.byRow.get(id) ?? [])]) this.entries.delete(key);
    }
  }

  /** Something any entry may show changed (e.g. a product created, edited, removed). */
  clear(): void {
    this.current++;
    this.entries.clear();
  }

  private unindex(key: string, entry: Entry): void {
    for (const id of entry.rowIds) {
      const keys = this.byRow.get(id);
      keys?.delete(key);
      if (keys?.size === 0) this.byRow.delete(id);
    }
  }
}
