import type { DbAdapter } from "moleculer-db";

/** A stored document: string ids (24 hex) as the services see them. */
export type StoredDoc = { _id: string } & Record<string, unknown>;

/**
 * What Agora's stores add to moleculer-db's adapter interface.
 *
 * Conditional single-document writes are the reason this exists: moleculer-db
 * 0.9's adapter interface has `updateById(id, update)` and
 * `updateMany(query, update)`, neither of which both matches a condition and
 * returns the one document it changed. Stock, payments, carts and orders rely
 * on "update this document if the condition still holds" with exactly one
 * winner under concurrency ("decrement if at least q is left", "leave PENDING
 * once"): one store operation, on one node (NeDB serializes its writes) or
 * many (MongoDB's findOneAndUpdate). Each adapter implements these over its
 * engine's own API (platform/store/nedb-adapter.ts, mongo-adapter.ts), so
 * replacing an engine or a driver is a change to one adapter file.
 *
 * Ids cross this interface as strings; an adapter stores them in its
 * engine's native shape (ObjectId on MongoDB) and gives back strings.
 */
export interface ConditionalOps {
  getDoc(id: string): Promise<StoredDoc | null>;
  getDocs(ids: string[]): Promise<StoredDoc[]>;
  /** Documents matching a query, sorted ("-field" descending) and windowed. */
  findDocs(query: object, window?: { sort?: string[]; offset?: number; limit?: number }): Promise<StoredDoc[]>;
  countDocs(query: object): Promise<number>;
  /** False when a document with this _id exists already (nothing changed then). */
  insertDoc(doc: StoredDoc): Promise<boolean>;
  /** Applies `update` to the document with this id if it matches `condition`, atomically; null when none did. */
  updateDoc(id: string, condition: object, update: object): Promise<StoredDoc | null>;
  /** Removes the document with this id if it matches `condition`; true when one was removed. */
  removeDoc(id: string, condition: object): Promise<boolean>;
  ensureIndex(field: string, unique: boolean): Promise<void>;
  /** Resolves when the store answers (readiness); rejects when it cannot be reached. */
  ping(): Promise<void>;
}

/** A moleculer-db adapter that also offers Agora's conditional operations. */
export type StoreAdapter = DbAdapter & ConditionalOps;

export function isStoreAdapter(adapter: unknown): adapter is StoreAdapter {
  return typeof adapter === "object" && adapter !== null && "updateDoc" in adapter && "ping" in adapter;
}

/** "-field" → { field: -1 }, "field" → { field: 1 }: moleculer-db's sort notation as a sort spec. */
export function sortSpec(sort: string[] = []): Record<string, 1 | -1> {
  return Object.fromEntries(sort.map((f) => (f.startsWith("-") ? [f.slice(1), -1] : [f, 1])));
}
