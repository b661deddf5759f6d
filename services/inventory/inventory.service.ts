import { Errors, type Context, type ServiceBroker } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { broadcast, call, defineService, inventoryContract, type EventContracts } from "../../contracts";
import { dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { config } from "../../platform/config";
import { NotFoundError } from "../../platform/core/errors";
import { stockLevel } from "../../platform/observability/business-metrics";
import { NotCommittable, OutOfStock, StockLedger, type LedgerResult } from "./domain/stock-ledger";
import { toReservation, toStockLevel } from "./domain/stock.rules";
import { InventoryStore, reservationsAdapter } from "./store";

/**
 *   INVENTORY_LOW_THRESHOLD  products below it are counted by agora_products_low_stock (5)
 *   INVENTORY_INITIAL_STOCK  available stock of a product inventory first hears of (0);
 *                            `npm run dev` sets it to DEMO_STOCK (50) so the demo shop can sell
 */
const lowThreshold = () => config.INVENTORY_LOW_THRESHOLD;
const initialStock = () => config.INVENTORY_INITIAL_STOCK;

/** Whether some node runs the catalog. */
function catalogRunning(broker: ServiceBroker): boolean {
  return broker.registry.getServiceList({ onlyAvailable: true }).some((s) => s.name === "catalog");
}

interface InventoryThis {
  store: InventoryStore;
  ledger: StockLedger;
  reservationsAdapter: DbAdapter;
  stockReconciled: boolean;
}

interface InventoryMethods {
  afterMove(result: LedgerResult): Promise<void>;
  stockChanged(productIds: string[]): Promise<void>;
  reconcileWithCatalog(): Promise<void>;
  translate(err: unknown): never;
}

/** Stock per product; reservations for checkouts in progress, idempotent by orderId. */
export default defineService<DbMethods & InventoryMethods & InventoryThis>()(inventoryContract, {
  mixins: [dbMixin({ service: "inventory", collection: "stock_levels" })],

  settings: { rest: "/" },

  actions: {
    set: {
      rest: "PUT /inventory/:productId",
      auth: "admin",
      async handler(ctx) {
        const { productId, quantity } = ctx.params;
        // Stock only for products that exist; the catalog owns that answer.
        await call(ctx, "catalog.get", { id: productId });
        const { level } = await this.ledger.setAvailable(productId, quantity);
        stockLevel(this.broker, productId, quantity, lowThreshold());
        await this.stockChanged([productId]);
        return toStockLevel(level, productId);
      },
    },

    get: {
      visibility: "public",
      auth: "internal",
      async handler(ctx) {
        return toStockLevel(await this.store.level(ctx.params.productId), ctx.params.productId);
      },
    },

    availability: {
      visibility: "public",
      auth: "internal",
      async handler(ctx) {
        const ids = [...new Set(ctx.params.productIds)];
        const result: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
        if (ids.length === 0) return result;
        for (const level of await this.store.levelsOf(ids)) result[level.productId] = level.available;
        return result;
      },
    },

    reserve: {
      visibility: "public",
      auth: "internal",
      async handler(ctx) {
        try {
          const result = await this.ledger.reserve(ctx.params.orderId, ctx.params.items);
          await this.afterMove(result);
          return toReservation(result.reservation);
        } catch (err) {
          this.translate(err);
        }
      },
    },

    release: {
      visibility: "public",
      auth: "internal",
      async handler(ctx) {
        const result = await this.ledger.release(ctx.params.orderId);
        if (!result) return null;
        await this.afterMove(result);
        return toReservation(result.reservation);
      },
    },

    commit: {
      visibility: "public",
      auth: "internal",
      async handler(ctx) {
        try {
          const result = await this.ledger.commit(ctx.params.orderId);
          await this.afterMove(result);
          return toReservation(result.reservation);
        } catch (err) {
          this.translate(err);
        }
      },
    },
  },

  events: {
    async "catalog.product.created"(ctx: Context<EventContracts["catalog.product.created"]>) {
      if (await this.ledger.ensureLevel(ctx.params.id, initialStock())) await this.stockChanged([ctx.params.id]);
    },

    // Products created while no inventory node ran (or while this one was
    // starting: the demo catalog is seeded as services start) get their level
    // when a catalog shows up.
    "$services.changed"() {
      if (this.ledger && !this.stockReconciled && catalogRunning(this.broker)) return this.reconcileWithCatalog();
    },
  },

  methods: {
    /** Keeps the low-stock gauge current for the products a move touched. */
    async afterMove(result: LedgerResult): Promise<void> {
      if (result.touched.length === 0) return;
      await this.stockChanged(result.touched);
      for (const level of await this.store.levelsOf(result.touched)) {
        stockLevel(this.broker, level.productId, level.available, lowThreshold());
      }
    },

    async reconcileWithCatalog(): Promise<void> {
      this.stockReconciled = true;
      try {
        let created = 0;
        for (let page = 1; ; page++) {
          const result = await call(this.broker, "catalog.list", { page, pageSize: 100 });
          const added: string[] = [];
          for (const product of result.rows) {
            if (await this.ledger.ensureLevel(product.id, initialStock())) added.push(product.id);
          }
          if (added.length) await this.stockChanged(added);
          created += added.length;
          if (page >= result.totalPages) break;
        }
        if (created) this.logger.info(`Created stock levels for ${created} products (${initialStock()} each).`);
      } catch (err) {
        this.stockReconciled = false;
        this.logger.warn("Could not create stock levels for the catalog's products:", (err as Error).message);
      }
    },

    /** Every node's cached product reads of these products are stale now. */
    stockChanged(productIds: string[]): Promise<void> {
      return broadcast(this.broker, "inventory.changed", { productIds });
    },

    translate(err: unknown): never {
      if (err instanceof OutOfStock) {
        throw new Errors.MoleculerClientError("Not enough stock", 409, "OUT_OF_STOCK", {
          productId: err.productId,
          requested: err.requested,
        });
      }
      if (err instanceof NotCommittable) {
        if (err.state === "MISSING") throw new NotFoundError("Reservation", err.orderId);
        throw new Errors.MoleculerClientError(err.message, 409, "RESERVATION_RELEASED");
      }
      throw err;
    },
  },

  created() {
    this.stockReconciled = false;
    this.reservationsAdapter = reservationsAdapter(this.broker, this.logger);
  },

  async started() {
    await this.reservationsAdapter.connect();
    this.store = new InventoryStore(this.adapter, this.reservationsAdapter);
    this.ledger = new StockLedger(this.store);
    if (catalogRunning(this.broker)) await this.reconcileWithCatalog();
  },

  async stopped() {
    await this.reservationsAdapter.disconnect();
  },
});
