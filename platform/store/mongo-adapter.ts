import { MongoClient, ObjectId, type Collection, type Db, type MongoClientOptions } from "mongodb";
import MongoDbAdapter from "moleculer-db-adapter-mongo";
import { config } from "../config";
import { isDuplicateKeyError } from "../core/errors";
import { sortSpec, type StoreAdapter, type StoredDoc } from "./store-adapter";

// Public members of moleculer-db-adapter-mongo 0.5 that its typings leave out.
declare module "moleculer-db-adapter-mongo" {
  export default interface MongoDbAdapter {
    /** Constructor arguments, and what connect() sets. */
    uri: string;
    opts?: MongoClientOptions;
    dbName?: string;
    client?: MongoClient;
    db?: Db;
    service: { logger: { info(...args: unknown[]): void }; schema: { collection: string } };
    /** Moleculer-db-adapter-mongo's, typed here as the ids it converts. */
    stringToObjectID(id: unknown): unknown;
    objectIDToString(id: unknown): unknown;
  }
}

/** A document as stored: its id an ObjectId (or a string that is not 24 hex). */
type MongoDoc = { _id: ObjectId | string; [field: string]: unknown };

/**
 * MongoDB: moleculer-db-adapter-mongo, plus Agora's conditional operations
 * (why: platform/store/store-adapter.ts) over its public `collection`. Ids are
 * stored as ObjectId, the only _id shape the MongoDB-wire test server accepts,
 * and handed back as strings.
 *
 * The adapter was written for the mongodb 3.x driver; package.json's
 * `overrides` give it the driver Agora depends on (7.x, which supports
 * MongoDB 4.4 to 8.x: docs/stores.md). The adapter methods that rely on what
 * the 4.0 to 6.0 drivers removed are replaced here: `ObjectID` (now `ObjectId`),
 * `insertOne`/`insertMany` results with `ops`, findOneAnd* answering
 * `{ value }` (now the document itself unless asked for the metadata), and
 * events on `Db` (no longer an EventEmitter). The rest (find, count, sort,
 * skip, limit, updateMany, deleteMany) works unchanged on the new driver.
 */
export class MongoAdapter extends MongoDbAdapter implements StoreAdapter {
  /** The adapter's collection, typed with the ids Agora stores. */
  private stored?: Collection<MongoDoc>;

  private get docs(): Collection<MongoDoc> {
    if (!this.stored) throw new Error(`MongoDB store ${this.storeName()} is not connected`);
    return this.stored;
  }

  /** A 24-hex string as an ObjectId; anything else unchanged (the adapter's own, on the driver's ObjectId). */
  override stringToObjectID(id: unknown): unknown {
    return typeof id === "string" ? this.key(id) : id;
  }

  /** An ObjectId as its 24-hex string; anything else unchanged. */
  override objectIDToString(id: unknown): unknown {
    return id instanceof ObjectId ? id.toHexString() : id;
  }

  private key(id: string): ObjectId | string {
    return id.length === 24 && ObjectId.isValid(id) ? ObjectId.createFromHexString(id) : id;
  }

  private out(doc: MongoDoc | null): StoredDoc | null {
    return doc && { ...doc, _id: this.idString(doc._id) };
  }

  private idString(id: ObjectId | string): string {
    return typeof id === "string" ? id : id.toHexString();
  }

  /**
   * moleculer-db's insert stores `_id` as given, but its findById/updateById
   * look a 24-hex id up as an ObjectId: a product inserted with a string id
   * would never be found again on MongoDB. Stored as ObjectId like DocStore's.
   * Resolves to the stored document, as moleculer-db expects (the adapter's
   * typings say an array).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override async insert(entity: object): Promise<any> {
    const doc = this.withKey(entity);
    const { insertedId } = await this.docs.insertOne(doc);
    return { ...doc, _id: insertedId };
  }

  override async insertMany(entities: object[]): Promise<object[]> {
    const docs = entities.map((e) => this.withKey(e));
    const { insertedIds } = await this.docs.insertMany(docs);
    return docs.map((doc, i) => ({ ...doc, _id: insertedIds[i] }));
  }

  /** moleculer-db's updateById: the updated document, or null. */
  override async updateById(id: string | number, update: object): Promise<object> {
    const res = await this.docs.findOneAndUpdate({ _id: this.key(String(id)) }, update, {
      returnDocument: "after",
      includeResultMetadata: true,
    });
    return res.value as object;
  }

  /** moleculer-db's removeById: the removed document, or null. */
  override async removeById(id: string | number): Promise<object | null> {
    const res = await this.docs.findOneAndDelete({ _id: this.key(String(id)) }, { includeResultMetadata: true });
    return res.value;
  }

  private withKey(entity: object): MongoDoc {
    const doc: Record<string, unknown> = { ...entity };
    const id = doc._id;
    return { ...doc, _id: typeof id === "string" ? this.key(id) : id instanceof ObjectId ? id : new ObjectId() };
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
      await Promise.race([this.open(), timedOut]);
    } catch (err) {
      void this.client?.close().catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** moleculer-db-adapter-mongo's connect, without its listeners on Db, which the driver no longer emits from. */
  private async open(): Promise<void> {
    this.client = new MongoClient(this.uri, this.opts);
    await this.client.connect();
    this.db = this.client.db(this.dbName);
    this.collection = this.db.collection(this.service.schema.collection);
    this.stored = this.db.collection<MongoDoc>(this.service.schema.collection);
    this.service.logger.info("MongoDB adapter has connected successfully.");
  }

  /** Database and server, never the credentials of the URI. */
  storeName(): string {
    const hosts = this.uri
      .replace(/^mongodb(\+srv)?:\/\//, "")
      .replace(/^[^@/]*@/, "")
      .split(/[/?]/)[0];
    return `${this.dbName} at ${hosts}`;
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
      includeResultMetadata: true,
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
