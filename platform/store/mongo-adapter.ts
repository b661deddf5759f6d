import MongoDbAdapter from "moleculer-db-adapter-mongo";
import { config } from "../config";
import { isDuplicateKeyError } from "../core/errors";
import { sortSpec, type StoreAdapter, type StoredDoc } from "./store-adapter";

// Public methods of moleculer-db-adapter-mongo 0.5 that its typings leave out.
declare module "moleculer-db-adapter-mongo" {
  export default interface MongoDbAdapter {
    /** A 24-hex string as an ObjectId; anything else unchanged. */
    stringToObjectID(id: unknown): unknown;
    /** An ObjectId as its 24-hex string. */
    objectIDToString(id: unknown): string;
    /** The connected database (set by connect()). */
    db?: { command(cmd: object): Promise<unknown> };
    /** Constructor arguments, and the driver's client (set by connect()). */
    uri: string;
    dbName?: string;
    client?: { close(): Promise<void> };
  }
}

/** The part of the mongodb 3.x driver's Collection used here (the driver has no typings of its own). */
interface Collection {
  findOne(query: object): Promise<StoredDoc | null>;
  find(query: object): Cursor;
  countDocuments(query: object): Promise<number>;
  insertOne(doc: object): Promise<unknown>;
  /** Driver 3.x answers `{ value }`; driver 4+ can answer the document itself (issue #10). */
  findOneAndUpdate(query: object, update: object, opts: object): Promise<{ value: StoredDoc | null }>;
  deleteOne(query: object): Promise<{ deletedCount?: number }>;
  createIndex(spec: object, opts: object): Promise<unknown>;
}

interface Cursor {
  sort(spec: object): Cursor;
  skip(n: number): Cursor;
  limit(n: number): Cursor;
  toArray(): Promise<StoredDoc[]>;
}

/**
 * MongoDB: moleculer-db-adapter-mongo as it is, plus Agora's conditional
 * operations (why: platform/store/store-adapter.ts) over its public
 * `collection`. Ids are stored as ObjectId, the only _id shape the
 * MongoDB-wire test server accepts, and handed back as strings.
 */
export class MongoAdapter extends MongoDbAdapter implements StoreAdapter {
  private get docs(): Collection {
    return this.collection;
  }

  private key(id: string): unknown {
    return this.stringToObjectID(id);
  }

  private out(doc: StoredDoc | null): StoredDoc | null {
    return doc && { ...doc, _id: this.idString(doc._id) };
  }

  private idString(id: unknown): string {
    return typeof id === "string" ? id : this.objectIDToString(id);
  }

  /**
   * moleculer-db's insert stores `_id` as given, but its findById/updateById
   * look a 24-hex id up as an ObjectId: a product inserted with a string id
   * would never be found again on MongoDB. Stored as ObjectId like DocStore's.
   */
  override insert(entity: object) {
    return super.insert(this.withKey(entity));
  }

  override insertMany(entities: object[]) {
    return super.insertMany(entities.map((e) => this.withKey(e)));
  }

  private withKey(entity: object): object {
    return "_id" in entity && typeof entity._id === "string" ? { ...entity, _id: this.key(entity._id) } : entity;
  }

  /**
   * Connects within MONGO_CONNECT_TIMEOUT_MS or fails with an error naming the
   * store. The driver's own timeouts cover a server that never answers; this
   * bound also covers one that accepts the handshake and then stalls in it
   * (credentials a MongoDB-wire server does not support), where the driver
   * waited forever.
   */
  override async connect(): Promise<void> {
    const timeoutMs = config.MONGO_CONNECT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`MongoDB store ${this.storeName()} did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([super.connect(), timedOut]);
    } catch (err) {
      void this.client?.close().catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Database and server, never the credentials of the URI. */
  storeName(): string {
    const hosts = this.uri
      .replace(/^mongodb(\+srv)?:\/\//, "")
      .replace(/^[^@/]*@/, "")
      .split(/[/?]/)[0];
    return `${this.dbName} at ${hosts}`;
  }

  /** moleculer-db's updateById, without the option the driver warns is deprecated (returnOriginal). */
  override async updateById(id: string | number, update: object): Promise<object> {
    const res = await this.docs.findOneAndUpdate({ _id: this.stringToObjectID(id) }, update, {
      returnDocument: "after",
    });
    return res.value as object;
  }

  /** A round trip to the server: readiness fails while MongoDB does not answer. */
  async ping(): Promise<void> {
    if (!this.db) throw new Error("not connected");
    await this.db.command({ ping: 1 });
  }

  async getDoc(id: string): Promise<StoredDoc | null> {
    return this.out(await this.docs.findOne({ _id: this.key(id) }));
  }

  async getDocs(ids: string[]): Promise<StoredDoc[]> {
    const docs = await this.docs.find({ _id: { $in: ids.map((id) => this.key(id)) } }).toArray();
    return docs.map((d) => ({ ...d, _id: this.idString(d._id) }));
  }

  async findDocs(query: object, window: { sort?: string[]; offset?: number; limit?: number } = {}) {
    let cursor = this.docs.find(query);
    if (window.sort?.length) cursor = cursor.sort(sortSpec(window.sort));
    if (window.offset) cursor = cursor.skip(window.offset);
    if (window.limit) cursor = cursor.limit(window.limit);
    return (await cursor.toArray()).map((d) => ({ ...d, _id: this.idString(d._id) }));
  }

  countDocs(query: object): Promise<number> {
    return this.docs.countDocuments(query);
  }

  async insertDoc(doc: StoredDoc): Promise<boolean> {
    try {
      await this.docs.insertOne({ ...doc, _id: this.key(doc._id) });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  async updateDoc(id: string, condition: object, update: object): Promise<StoredDoc | null> {
    const res = await this.docs.findOneAndUpdate({ ...condition, _id: this.key(id) }, update, {
      returnDocument: "after",
    });
    return this.out(res.value);
  }

  async removeDoc(id: string, condition: object): Promise<boolean> {
    return ((await this.docs.deleteOne({ ...condition, _id: this.key(id) })).deletedCount ?? 0) > 0;
  }

  async ensureIndex(field: string, unique: boolean): Promise<void> {
    await this.docs.createIndex({ [field]: 1 }, { unique });
  }
}
