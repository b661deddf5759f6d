import path from "node:path";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import MoleculerDb from "moleculer-db";
import { config } from "../platform/config";
import { lockDataFile } from "../platform/store/data-lock";
import { NedbAdapter } from "../platform/store/nedb-adapter";
import type { StoreAdapter } from "../platform/store/store-adapter";

type MongoAdapterModule = typeof import("../platform/store/mongo-adapter");

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
  if (config.MONGO_URI) return "mongo";
  if (config.DATA_DIR === ":memory:") return "memory";
  return "file";
}

/** A moleculer-db adapter for the given store location, chosen from the environment. */
export function createAdapter({ service, collection }: StoreLocation): StoreAdapter {
  switch (storeKind()) {
    case "mongo": {
      const dbName = `${config.NAMESPACE}_${service}`.replace(/[^\w-]/g, "_");
      const timeout = config.MONGO_CONNECT_TIMEOUT_MS;
      // Loaded here, not at the top: the MongoDB driver takes ~130 ms and ~13 MB of RSS to load, paid at start-up
      // by every store node on the embedded store otherwise (bench/README.md, S6).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { MongoAdapter } = require("../platform/store/mongo-adapter") as MongoAdapterModule;
      return new MongoAdapter(
        config.MONGO_URI ?? "",
        {
          connectTimeoutMS: timeout,
          serverSelectionTimeoutMS: timeout,
          // The driver's default ("auto") streams server monitoring over an awaitable hello (MongoDB 4.4+).
          // The MongoDB-wire test server answers that hello without moreToCome, the driver then clears its
          // pool and fails the operations in flight; polling works on both (docs/stores.md).
          serverMonitoringMode: "poll",
        },
        dbName,
      );
    }
    case "memory":
      return new NedbAdapter();
    case "file": {
      const filename = path.resolve(config.DATA_DIR, `${collection}.db`);
      lockDataFile(filename);
      return new NedbAdapter({ filename, sync: config.DATA_SYNC });
    }
  }
}

/** Where MONGO_URI points, without its credentials (a log line names the store, never its secret). */
function mongoTarget(): string {
  return (config.MONGO_URI ?? "").replace(/\/\/[^@/]*@/, "//").split("?")[0];
}

/** The parts of the service the mixin's connect uses. */
interface DbService {
  name: string;
  broker: ServiceBroker;
  schema: { afterConnected?(): Promise<void> | void };
}

/** An index the service's queries need; unique ones refuse a second document with the same value. */
export interface IndexSpec {
  field: string;
  unique?: boolean;
}

export interface DbMixinOptions extends StoreLocation {
  /** Created after connecting, before prepareStore: every index of the collection in one place. */
  indexes?: IndexSpec[];
}

/** The default moleculer-db actions; each service declares its own instead. */
const noDefaultActions = Object.fromEntries(
  ["find", "count", "list", "create", "insert", "get", "update", "remove"].map((name) => [name, false]),
);

/** What a service using the mixin can rely on (typing for `this`). */
export interface DbMethods {
  adapter: StoreAdapter & { find(filters: object): Promise<unknown[]> };
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
export function dbMixin({ indexes = [], ...location }: DbMixinOptions): Partial<ServiceSchema> {
  return {
    mixins: [MoleculerDb],
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
      /**
       * moleculer-db retries a failed connect every second, forever, and the
       * node never finishes starting while it does: a MongoDB that accepts
       * connections but never answers would hang the node with no word. The
       * driver gives up after MONGO_CONNECT_TIMEOUT_MS instead; then the node
       * says which store it could not reach and exits (code 1), so the
       * orchestrator restarts it and shows it failing.
       */
      async connect(this: DbMethods & DbService) {
        try {
          await this.adapter.connect();
        } catch (err) {
          const store = storeKind() === "mongo" ? `MongoDB ${mongoTarget()}` : `the ${storeKind()} store`;
          this.broker.fatal(
            `${this.name}: could not connect to ${store} (database of ${location.service}, collection ${location.collection}); exiting.`,
            err instanceof Error ? err : new Error(String(err)),
          );
          throw err;
        }
        await this.schema.afterConnected?.call(this);
      },

      /** A unique index on one field, in whichever store is in use. */
      async ensureUniqueIndex(this: DbMethods, field: string) {
        await this.ensureIndex(field, true);
      },

      /** An index on one field, in whichever store is in use. */
      async ensureIndex(this: DbMethods, field: string, unique = false) {
        await this.adapter.ensureIndex(field, unique);
      },
    },
    async afterConnected(this: DbMethods & { logger: { info(m: string): void } }) {
      for (const { field, unique = false } of indexes) await this.ensureIndex(field, unique);
      await this.prepareStore?.();
      if (this.seedDB && (await this.adapter.count()) === 0) {
        await this.seedDB();
        this.logger.info("Seeded the empty collection with demo data.");
      }
    },
  } as Partial<ServiceSchema>;
}
