import path from "node:path";
import type { ServiceSchema } from "moleculer";
import MoleculerDb, { MemoryAdapter, type DbAdapter } from "moleculer-db";
import MongoAdapter from "moleculer-db-adapter-mongo";
import { envOptional, envString, isTest } from "../platform/config/env";
import { lockDataFile } from "../platform/store/data-lock";

/**
 * Storage for one service.
 *
 * - MONGO_URI set: MongoDB. Each service gets its own *database*
 *   (`<NAMESPACE>_<service>`), not just a collection: a database is the unit
 *   MongoDB grants rights on and the unit one can move to another server, so
 *   the boundary "no service reads another's data" can be enforced, not just
 *   promised.
 * - otherwise: an embedded NeDB file, DATA_DIR/<collection>.db (./data).
 *   DATA_DIR=:memory: (the default under jest) keeps it in memory.
 *
 * An NeDB file belongs to one process, so replicas of a stateful service need
 * MONGO_URI; platform/store/data-lock.ts makes a second process on the same file fail fast.
 */
export interface StoreLocation {
  /** The owning service; with MongoDB, the database is named after it. */
  service: string;
  /** Collection name, unique across Agora (also the NeDB file name). */
  collection: string;
}

export function storeKind(): "mongo" | "memory" | "file" {
  if (envOptional("MONGO_URI")) return "mongo";
  const dataDir = envOptional("DATA_DIR");
  if (dataDir === ":memory:" || (dataDir === undefined && isTest())) return "memory";
  return "file";
}

/** A moleculer-db adapter for the given store location, chosen from the environment. */
export function createAdapter({ service, collection }: StoreLocation): DbAdapter {
  switch (storeKind()) {
    case "mongo": {
      const dbName = `${envString("NAMESPACE", "agora")}_${service}`.replace(/[^\w-]/g, "_");
      return new MongoAdapter(envString("MONGO_URI", ""), { useUnifiedTopology: true }, dbName) as unknown as DbAdapter;
    }
    case "memory":
      return new NedbAdapter();
    case "file": {
      const filename = path.resolve(envString("DATA_DIR", "data"), `${collection}.db`);
      lockDataFile(filename);
      return new NedbAdapter({ filename });
    }
  }
}

type NedbMethod = (...args: unknown[]) => Promise<unknown>;
type NedbWithAsync = Record<string, NedbMethod> & {
  updateAsync(q: object, u: object, o: object): Promise<{ numAffected: number; affectedDocuments: unknown }>;
};

/**
 * moleculer-db's MemoryAdapter calls NeDB through util.promisify around
 * NeDB's callback API, which is itself a callbackify around its promise API:
 * two wrappings per store call. Worse, its `update` promisifies a function
 * that returns a promise, so Node emits and prints deprecation DEP0174 on
 * every update: a stack trace and a stderr line per write, 6% of a checkout's
 * CPU (bench/README.md). NeDB's own promise API gives the same results
 * (`update`: [numAffected, affectedDocuments, upsert], as moleculer-db's).
 */
class NedbAdapter extends (MemoryAdapter as unknown as new (opts?: object) => DbAdapter & { db: NedbWithAsync }) {
  override async connect(): Promise<void> {
    await super.connect();
    const db = this.db;
    // Promise.resolve: findOneAsync and countAsync return NeDB cursors, which are thenables.
    for (const method of ["findOne", "count", "insert", "remove"]) {
      const direct = db[`${method}Async`].bind(db);
      db[method] = (...args: unknown[]) => Promise.resolve(direct(...args));
    }
    db.update = (query, update, options = {}) =>
      db
        .updateAsync(query as object, update as object, options as object)
        .then((r) => [r.numAffected, r.affectedDocuments, (r as { upsert?: boolean }).upsert ?? false]);
  }
}

/** The default moleculer-db actions; each service declares its own instead. */
const noDefaultActions = Object.fromEntries(
  ["find", "count", "list", "create", "insert", "get", "update", "remove"].map((name) => [name, false]),
);

/** What a service using the mixin can rely on (typing for `this`). */
export interface DbMethods {
  adapter: DbAdapter & { find(filters: object): Promise<unknown[]> };
  transformDocuments<T>(ctx: unknown, params: object, docs: unknown): Promise<T>;
  entityChanged(type: "created" | "updated" | "removed", json: unknown, ctx: unknown, raw?: unknown): Promise<void>;
  ensureUniqueIndex(field: string): Promise<void>;
  ensureIndex(field: string, unique?: boolean): Promise<void>;
  /** Optional: prepares the store (indexes) after connecting. */
  prepareStore?(): Promise<void>;
  /** Optional: fills an empty collection with demo data after connecting. */
  seedDB?(): Promise<void>;
}

/**
 * The db mixin: one adapter, one collection, no default actions (nothing is
 * exposed that the service did not declare with its own params schema), and
 * cluster-wide cache invalidation: moleculer-db broadcasts
 * `cache.clean.<service>` after every write and each node clears its own
 * cache when it hears it, so no node serves stale reads after a write.
 */
export function dbMixin(location: StoreLocation): Partial<ServiceSchema> {
  return {
    mixins: [MoleculerDb as unknown as Partial<ServiceSchema>],
    // A getter, so that every service instance (e.g. two brokers in one test
    // process, or a hot reload) gets its own adapter.
    get adapter() {
      return createAdapter(location);
    },
    collection: location.collection,
    settings: { idField: "id" },
    actions: noDefaultActions,
    events: {
      [`cache.clean.${location.service}`]: {
        handler(this: { broker: { cacher?: { clean(m: string): Promise<unknown> } }; fullName: string }) {
          return this.broker.cacher?.clean(`${this.fullName}.**`);
        },
      },
    },
    methods: {
      /** A unique index on one field, in whichever store is in use. */
      async ensureUniqueIndex(this: DbMethods, field: string) {
        await this.ensureIndex(field, true);
      },

      /** An index on one field, in whichever store is in use. */
      async ensureIndex(this: DbMethods, field: string, unique = false) {
        const adapter = this.adapter as unknown as {
          db?: { ensureIndexAsync?(o: object): Promise<void> };
          collection?: { createIndex(spec: object, o: object): Promise<unknown> };
        };
        if (adapter.collection) await adapter.collection.createIndex({ [field]: 1 }, { unique });
        else if (adapter.db?.ensureIndexAsync) await adapter.db.ensureIndexAsync({ fieldName: field, unique });
      },
    },
    async afterConnected(this: DbMethods & { logger: { info(m: string): void } }) {
      await this.prepareStore?.();
      if (this.seedDB && (await this.adapter.count()) === 0) {
        await this.seedDB();
        this.logger.info("Seeded the empty collection with demo data.");
      }
    },
  } as Partial<ServiceSchema>;
}
