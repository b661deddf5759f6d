import type { ObjectId } from "mongodb";
import { config } from "../config";
import { isDuplicateKeyError } from "../core/errors";
import { MongoDbAdapterOnDriver7, type MongoDoc } from "../patches/moleculer-db-adapter-mongo/driver-7";
import { sortSpec, type StoreAdapter, type StoredDoc } from "./store-adapter";

/**
 * MongoDB: moleculer-db-adapter-mongo on the 7.x driver (MongoDB 4.4 to 8.x:
 * docs/stores.md; the adapter's port to it is a patch,
 * platform/patches/moleculer-db-adapter-mongo/driver-7.ts), plus Agora's
 * conditional operations (why: platform/store/store-adapter.ts) over its
 * collection. Ids are stored as ObjectId, the only _id shape the MongoDB-wire
 * test server accepts, and handed back as strings.
 */
export class MongoAdapter extends MongoDbAdapterOnDriver7 implements StoreAdapter {
  private out(doc: MongoDoc | null): StoredDoc | null {
    return doc && { ...doc, _id: this.idString(doc._id) };
  }

  private idString(id: ObjectId | string): string {
    return typeof id === "string" ? id : id.toHexString();
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
