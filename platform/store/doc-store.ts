import type { DbAdapter } from "moleculer-db";
import { isDuplicateKeyError } from "../core/errors";

/**
 * Atomic single-document operations over a connected moleculer-db adapter,
 * the same on NeDB and MongoDB. moleculer-db's own updateById cannot add a
 * condition to the match, and conditional updates are what make stock,
 * payments and carts safe under concurrency: "decrement if at least q is
 * left" in one store operation has exactly one winner for the last unit, on
 * one node (NeDB serializes) or many (MongoDB findOneAndUpdate).
 *
 * Documents carry string ids (24 hex); on MongoDB they are stored as ObjectId,
 * the only _id shape the MongoDB-wire test server accepts.
 */
export type StoredDoc = { _id: string } & Record<string, unknown>;

interface NedbDb {
  findOne(q: object): Promise<StoredDoc | null>;
  insert(doc: object): Promise<StoredDoc>;
  update(q: object, u: object, o: object): Promise<[number, StoredDoc | undefined, boolean]>;
  remove(q: object, o: object): Promise<number>;
  /** NeDB's own promise API (a thenable cursor): no callback round trip. */
  findAsync(q: object): PromiseLike<StoredDoc[]>;
}

interface MongoCollection {
  findOne(q: object): Promise<StoredDoc | null>;
  find(q: object): { toArray(): Promise<StoredDoc[]> };
  insertOne(doc: object): Promise<unknown>;
  findOneAndUpdate(q: object, u: object, o: object): Promise<{ value: StoredDoc | null }>;
  deleteOne(q: object): Promise<{ deletedCount?: number }>;
}

export class DocStore<T extends StoredDoc> {
  constructor(private readonly adapter: DbAdapter) {}

  private get mongo(): MongoCollection | undefined {
    return (this.adapter as unknown as { collection?: MongoCollection }).collection;
  }

  private get nedb(): NedbDb {
    return (this.adapter as unknown as { db: NedbDb }).db;
  }

  private key(id: string): unknown {
    const toObjectId = (this.adapter as unknown as { stringToObjectID?(id: string): unknown }).stringToObjectID;
    return this.mongo && toObjectId ? toObjectId.call(this.adapter, id) : id;
  }

  private out(doc: StoredDoc | null | undefined): T | null {
    if (!doc) return null;
    const id = doc._id as unknown as { toHexString?(): string };
    return { ...doc, _id: typeof id?.toHexString === "function" ? id.toHexString() : doc._id } as T;
  }

  async get(id: string): Promise<T | null> {
    const q = { _id: this.key(id) };
    return this.out(await (this.mongo ? this.mongo.findOne(q) : this.nedb.findOne(q)));
  }

  async getMany(ids: string[]): Promise<T[]> {
    const q = { _id: { $in: ids.map((id) => this.key(id)) } };
    const docs = this.mongo ? await this.mongo.find(q).toArray() : await this.nedb.findAsync(q);
    return docs.map((d) => this.out(d) as T);
  }

  /** Inserts a new document; false when one with this _id exists already (no change then). */
  async insert(doc: T): Promise<boolean> {
    const stored = { ...doc, _id: this.key(doc._id) };
    try {
      if (this.mongo) await this.mongo.insertOne(stored);
      else await this.nedb.insert(stored);
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /**
   * Applies `update` to the document with this id if it also matches
   * `condition`, atomically; returns the updated document, or null when
   * nothing matched (and nothing changed).
   */
  async update(id: string, condition: object, update: object): Promise<T | null> {
    const q = { ...condition, _id: this.key(id) };
    if (this.mongo) {
      const res = await this.mongo.findOneAndUpdate(q, update, { returnDocument: "after" });
      return this.out(res.value);
    }
    const [, doc] = await this.nedb.update(q, update, { returnUpdatedDocs: true, multi: false });
    return this.out(doc);
  }

  /** Removes the document if it matches `condition`; true when one was removed. */
  async remove(id: string, condition: object = {}): Promise<boolean> {
    const q = { ...condition, _id: this.key(id) };
    if (this.mongo) return ((await this.mongo.deleteOne(q)).deletedCount ?? 0) > 0;
    return (await this.nedb.remove(q, { multi: false })) > 0;
  }
}
