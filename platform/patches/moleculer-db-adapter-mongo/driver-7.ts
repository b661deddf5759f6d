import { MongoClient, ObjectId, type Collection, type Db, type MongoClientOptions } from "mongodb";
import MongoDbAdapter from "moleculer-db-adapter-mongo";

/**
 * Patch: moleculer-db-adapter-mongo@0.5.0 on mongodb@7.9.0 (package.json `overrides` gives the
 * adapter Agora's driver instead of its own 3.7), with the adapter methods that relied on what
 * the 4.0 to 6.0 drivers removed replaced: stringToObjectID, objectIDToString, insert,
 * insertMany, updateById, removeById, connect.
 * Canary: test/unit/patches/moleculer-db-adapter-mongo.canary.test.ts (the adapter's version,
 * the methods replaced here and the source text of those left to it); test/store/mongo-driver
 * .test.ts checks the driver the adapter resolves.
 * Upstream: yes: moleculer-db-adapter-mongo 0.5 depends on mongodb ^3 (servers 2.6 to 5.0,
 * wire 2 to 13); compose and k8s run MongoDB 7 (wire 21), which the 3.7 driver refuses
 * (a17024c). These overrides are the port, small enough to send as one pull request.
 *
 * What the 3.x adapter code met on driver 7 (a17024c, measured):
 * - `mongodb.ObjectID` is undefined (now `ObjectId`): stringToObjectID threw;
 * - insertOne/insertMany answer without `ops`: insert resolved undefined;
 * - findOneAndUpdate/findOneAndDelete answer the document itself unless asked for
 *   `includeResultMetadata`: updateById/removeById read `.value` of a document;
 * - `Db` is no longer an EventEmitter: connect threw "this.db.on is not a function".
 * The rest (find, count, sort, skip, limit, updateMany, deleteMany) works unchanged on the new
 * driver. Ids: a 24-hex string is stored as an ObjectId (the only _id shape the MongoDB-wire
 * test server accepts) and handed back as a string.
 */

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
export type MongoDoc = { _id: ObjectId | string; [field: string]: unknown };

/** moleculer-db-adapter-mongo 0.5 with what it needs of driver 7. */
export class MongoDbAdapterOnDriver7 extends MongoDbAdapter {
  /** The adapter's collection, typed with the ids stored. */
  private stored?: Collection<MongoDoc>;

  protected get docs(): Collection<MongoDoc> {
    if (!this.stored) throw new Error(`MongoDB store ${this.storeName()} is not connected`);
    return this.stored;
  }

  /** Database and server, never the credentials of the URI. */
  storeName(): string {
    const hosts = this.uri
      .replace(/^mongodb(\+srv)?:\/\//, "")
      .replace(/^[^@/]*@/, "")
      .split(/[/?]/)[0];
    return `${this.dbName} at ${hosts}`;
  }

  /** A 24-hex string as an ObjectId; anything else unchanged (the adapter's own, on the driver's ObjectId). */
  override stringToObjectID(id: unknown): unknown {
    return typeof id === "string" ? this.key(id) : id;
  }

  /** An ObjectId as its 24-hex string; anything else unchanged. */
  override objectIDToString(id: unknown): unknown {
    return id instanceof ObjectId ? id.toHexString() : id;
  }

  protected key(id: string): ObjectId | string {
    return id.length === 24 && ObjectId.isValid(id) ? ObjectId.createFromHexString(id) : id;
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

  /** moleculer-db-adapter-mongo's connect, without its listeners on Db, which the driver no longer emits from. */
  override async connect(): Promise<void> {
    this.client = new MongoClient(this.uri, this.opts);
    await this.client.connect();
    this.db = this.client.db(this.dbName);
    this.collection = this.db.collection(this.service.schema.collection);
    this.stored = this.db.collection<MongoDoc>(this.service.schema.collection);
    this.service.logger.info("MongoDB adapter has connected successfully.");
  }
}
