import type { DbAdapter } from "moleculer-db";
import { isStoreAdapter, type StoreAdapter, type StoredDoc } from "./store-adapter";

export type { StoredDoc } from "./store-adapter";

/**
 * One collection's documents, typed, with the conditional single-document
 * writes services build on (why moleculer-db lacks them: store-adapter.ts).
 * The same on every store; ids are strings.
 */
export class DocStore<T extends StoredDoc> {
  private readonly adapter: StoreAdapter;

  /** Takes the adapter of a service using dbMixin, or one from createAdapter. */
  constructor(adapter: DbAdapter) {
    if (!isStoreAdapter(adapter)) {
      throw new TypeError(
        "DocStore needs an adapter from createAdapter (platform/store), not a bare moleculer-db one.",
      );
    }
    this.adapter = adapter;
  }

  async get(id: string): Promise<T | null> {
    return (await this.adapter.getDoc(id)) as T | null;
  }

  async getMany(ids: string[]): Promise<T[]> {
    return (await this.adapter.getDocs(ids)) as T[];
  }

  /** Documents matching `query`, sorted ("-field" descending) and windowed. */
  async find(query: object, window?: { sort?: string[]; offset?: number; limit?: number }): Promise<T[]> {
    return (await this.adapter.findDocs(query, window)) as T[];
  }

  count(query: object): Promise<number> {
    return this.adapter.countDocs(query);
  }

  /** Inserts a new document; false when one with this _id exists already (no change then). */
  insert(doc: T): Promise<boolean> {
    return this.adapter.insertDoc(doc);
  }

  /**
   * Applies `update` to the document with this id if it also matches
   * `condition`, atomically; returns the updated document, or null when
   * nothing matched (and nothing changed).
   */
  async update(id: string, condition: object, update: object): Promise<T | null> {
    return (await this.adapter.updateDoc(id, condition, update)) as T | null;
  }

  /** Removes the document if it matches `condition`; true when one was removed. */
  remove(id: string, condition: object = {}): Promise<boolean> {
    return this.adapter.removeDoc(id, condition);
  }
}
