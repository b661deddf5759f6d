import Datastore from "@seald-io/nedb";
import type { Service, ServiceBroker } from "moleculer";
import type { CountOptions, CursorOptions, FilterOptions, QueryOptions } from "moleculer-db";
import { isDuplicateKeyError } from "../core/errors";
import { AppendLog } from "./append-log";
import { sortSpec, type StoreAdapter, type StoredDoc } from "./store-adapter";

type Doc = Record<string, unknown>;

/** NeDB's line format (model.serialize): one JSON document per line, dates as { $$date: ms }. */
function serialize(doc: object): string {
  return JSON.stringify(doc, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $$date: raw.getTime() } : value;
  });
}

/**
 * The embedded store: moleculer-db's adapter interface implemented directly
 * over NeDB's promise API (moleculer-db documents custom adapters).
 * moleculer-db's own MemoryAdapter wraps NeDB's callback API, itself a
 * wrapper around the promise API, in util.promisify, and its `update`
 * promisifies a function that returns a promise, so Node prints deprecation
 * DEP0174 with a stack trace on every write (6% of a checkout's CPU,
 * bench/README.md). Without `filename` the data lives in memory.
 */
export class NedbAdapter implements StoreAdapter {
  private store?: Datastore<object>;
  private log?: AppendLog;

  /** `sync`: fdatasync before acknowledging a write (power loss), not only write() (a killed process). */
  constructor(private readonly opts: { filename?: string; sync?: boolean } = {}) {}

  private get datastore(): Datastore<object> {
    if (!this.store) throw new Error("The NeDB store is not connected.");
    return this.store;
  }

  init(_broker: ServiceBroker, _service: Service): void {}

  async connect(): Promise<void> {
    this.store = new Datastore<object>(this.opts.filename ? { filename: this.opts.filename } : {});
    await this.store.loadDatabaseAsync();
    if (this.opts.filename) await this.keepFileOpen(this.store, this.opts.filename);
  }

  /**
   * NeDB appends each new state with open/append/close and its executor waits
   * for that before the next operation. Here the executor hands the lines to
   * a log kept open and goes on; each write of this adapter acknowledges only
   * once its lines are written (`committed`), many writes sharing one
   * append (group commit). The file format stays NeDB's, so existing data
   * files load as before. Loading compacts the file (a fresh inode), so the
   * log opens after it.
   */
  private async keepFileOpen(store: Datastore<object>, filename: string): Promise<void> {
    const log = new AppendLog(filename, this.opts.sync ?? false);
    await log.open();
    this.log = log;
    // persistNewStateAsync: the method NeDB's executor awaits after each change (its typings leave it out).
    Object.assign(store.persistence, {
      persistNewStateAsync: async (docs: object[]) => log.append(docs.map((d) => `${serialize(d)}\n`).join("")),
    });
  }

  /** The result of a write, once what it changed is in the file. */
  private async committed<T>(write: Promise<T>): Promise<T> {
    const result = await write;
    await this.log?.flush();
    return result;
  }

  async disconnect(): Promise<void> {
    await this.log?.close();
    this.log = undefined;
    this.store = undefined;
  }

  /** The embedded store lives in this process: it answers once loaded. */
  async ping(): Promise<void> {
    if (!this.store) throw new Error("not connected");
  }

  // moleculer-db's adapter interface

  find(filters: FilterOptions): Promise<object[]> {
    return this.createCursor(filters);
  }

  async findOne<Q extends QueryOptions>(query: Q): Promise<object> {
    return this.datastore.findOneAsync(query);
  }

  async findById(id: unknown): Promise<object> {
    return this.datastore.findOneAsync({ _id: id });
  }

  async findByIds(ids: (string | number)[]): Promise<object[]> {
    return this.datastore.findAsync({ _id: { $in: ids } });
  }

  async count(filters: CountOptions = {}): Promise<number> {
    if (filters.search) return (await this.createCursor(filters)).length;
    return this.datastore.countAsync(filters.query ?? {});
  }

  insert(entity: object): Promise<object> {
    return this.committed(this.datastore.insertAsync(entity));
  }

  insertMany(...entities: object[]): Promise<object[]> {
    return this.committed(this.datastore.insertAsync(entities.flat()));
  }

  async updateMany<Q extends QueryOptions>(query: Q, update: object): Promise<number> {
    return (await this.committed(this.datastore.updateAsync(query, update, { multi: true }))).numAffected;
  }

  async updateById(id: string | number, update: object): Promise<object> {
    const res = await this.committed(this.datastore.updateAsync({ _id: id }, update, { returnUpdatedDocs: true }));
    return res.affectedDocuments as object;
  }

  removeMany(query: QueryOptions): Promise<number> {
    return this.committed(this.datastore.removeAsync(query, { multi: true }));
  }

  removeById(id: number | string): Promise<number> {
    return this.committed(this.datastore.removeAsync({ _id: id }, {}));
  }

  async clear(): Promise<void> {
    await this.committed(this.datastore.removeAsync({}, { multi: true }));
  }

  entityToObject(entity: object): object {
    return entity;
  }

  /** A query over `filters` (query, search in searchFields, sort, offset, limit); await it for the documents. */
  createCursor(params: CursorOptions = {}): Datastore.Cursor<object[]> {
    const search = typeof params.search === "string" ? params.search.toLowerCase() : "";
    const fields = typeof params.searchFields === "string" ? params.searchFields.split(" ") : params.searchFields;
    const query = search
      ? {
          $where(this: Doc) {
            const values = fields?.length ? fields.map((f) => this[f]) : Object.values(this);
            return values.some((v) => String(v).toLowerCase().includes(search));
          },
        }
      : (params.query ?? {});
    let cursor = this.datastore.findAsync(query);
    if (params.sort) cursor = cursor.sort(sortSpec(typeof params.sort === "string" ? [params.sort] : params.sort));
    if (typeof params.offset === "number" && params.offset > 0) cursor = cursor.skip(params.offset);
    if (typeof params.limit === "number" && params.limit > 0) cursor = cursor.limit(params.limit);
    return cursor;
  }

  beforeSaveTransformID(entity: object, idField: string): object {
    const { [idField]: id, ...rest } = entity as Doc;
    return idField !== "_id" && id !== undefined ? { ...structuredClone(rest), _id: id } : structuredClone(entity);
  }

  afterRetrieveTransformID(entity: object, idField: string): object {
    if (idField === "_id") return entity;
    const { _id, ...rest } = entity as Doc;
    return { ...rest, [idField]: _id };
  }

  // Agora's conditional operations (why: platform/store/store-adapter.ts)

  async getDoc(id: string): Promise<StoredDoc | null> {
    return (await this.datastore.findOneAsync<StoredDoc>({ _id: id })) ?? null;
  }

  getDocs(ids: string[]): Promise<StoredDoc[]> {
    return this.datastore.findAsync<StoredDoc>({ _id: { $in: ids } });
  }

  async findDocs(query: object, window: { sort?: string[]; offset?: number; limit?: number } = {}) {
    return (await this.createCursor({ query, ...window })) as StoredDoc[];
  }

  async countDocs(query: object): Promise<number> {
    return this.datastore.countAsync(query);
  }

  async insertDoc(doc: StoredDoc): Promise<boolean> {
    try {
      await this.committed(this.datastore.insertAsync(doc));
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  async updateDoc(id: string, condition: object, update: object): Promise<StoredDoc | null> {
    const res = await this.committed(
      this.datastore.updateAsync<StoredDoc>({ ...condition, _id: id }, update, {
        returnUpdatedDocs: true,
        multi: false,
      }),
    );
    return (res.affectedDocuments as StoredDoc | null) ?? null;
  }

  async removeDoc(id: string, condition: object): Promise<boolean> {
    return (await this.committed(this.datastore.removeAsync({ ...condition, _id: id }, { multi: false }))) > 0;
  }

  ensureIndex(field: string, unique: boolean): Promise<void> {
    return this.committed(this.datastore.ensureIndexAsync({ fieldName: field, unique }));
  }
}
