import { Errors, type Context, type ServiceBroker, type ServiceSchema, type ServiceSettingSchema } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import {
  call,
  emit,
  type EventContracts,
  type Product,
  type Reservation,
  type StockItem,
  type StockLevel,
} from "../../contracts";
import { createAdapter, dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { DocStore } from "../../platform/store/doc-store";
import { envInt } from "../../platform/config/env";
import { NotFoundError } from "../../platform/core/errors";
import { stockLevel } from "../../platform/observability/business-metrics";
import { availabilityParams, getParams, orderParams, reserveParams, setParams } from "./inventory.params";
import { NotCommittable, OutOfStock, StockLedger, type LedgerResult } from "./stock-ledger";
import { isLowAfterChange, toReservation, toStockLevel, type LevelDoc, type ReservationDoc } from "./stock.rules";

/**
 *   INVENTORY_LOW_THRESHOLD  `inventory.low` fires when available stock drops below it (5)
 *   INVENTORY_INITIAL_STOCK  available stock of a product inventory first hears of (0);
 *                            `npm run dev` sets it to DEMO_STOCK (50) so the demo shop can sell
 */
const lowThreshold = () => envInt("INVENTORY_LOW_THRESHOLD", 5);
const initialStock = () => envInt("INVENTORY_INITIAL_STOCK", 0);

/** Whether some node runs the catalog (the registry also takes no node id; its typing insists on one). */
function catalogRunning(broker: ServiceBroker): boolean {
  return (broker.registry as unknown as { hasService(name: string): boolean }).hasService("catalog");
}

interface InventoryThis {
  ledger: StockLedger;
  reservationsAdapter: DbAdapter;
  stockReconciled: boolean;
}

interface InventoryMethods {
  afterMove(ctx: Context, result: LedgerResult, decreased: boolean): Promise<void>;
  announce(ctx: Context | null, productIds: string[]): Promise<void>;
  reconcileWithCatalog(): Promise<void>;
  translate(err: unknown): never;
}

/** Stock per product; reservations for checkouts in progress, idempotent by orderId. */
const InventoryService: ServiceSchema<ServiceSettingSchema, DbMethods & InventoryMethods & InventoryThis> = {
  name: "inventory",
  mixins: [dbMixin({ service: "inventory", collection: "stock_levels" })],

  settings: { rest: "/" },

  // Readiness waits for these (platform/observability/dependencies.ts).
  metadata: { dependsOn: { catalog: "hard" } },

  actions: {
    set: {
      rest: "PUT /inventory/:productId",
      auth: "admin",
      params: setParams,
      async handler(ctx: Context<{ productId: string; quantity: number }>): Promise<StockLevel> {
        const { productId, quantity } = ctx.params;
        // Stock only for products that exist; the catalog owns that answer.
        await call(ctx, "catalog.get", { id: productId });
        const { before, level } = await this.ledger.setAvailable(productId, quantity);
        if (before !== quantity) await this.announce(ctx, [productId]);
        stockLevel(this.broker, productId, quantity, lowThreshold());
        if (isLowAfterChange(before, quantity, lowThreshold())) {
          await emit(ctx, "inventory.low", { productId, available: quantity, threshold: lowThreshold() });
        }
        return toStockLevel(level, productId);
      },
    },

    get: {
      visibility: "public",
      params: getParams,
      async handler(ctx: Context<{ productId: string }>): Promise<StockLevel> {
        return toStockLevel(await this.ledger.levels.get(ctx.params.productId), ctx.params.productId);
      },
    },

    availability: {
      visibility: "public",
      params: availabilityParams,
      async handler(ctx: Context<{ productIds: string[] }>): Promise<Record<string, number>> {
        const ids = [...new Set(ctx.params.productIds)];
        const result: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
        if (ids.length === 0) return result;
        for (const level of await this.ledger.levels.getMany(ids)) result[level.productId] = level.available;
        return result;
      },
    },

    reserve: {
      visibility: "public",
      params: reserveParams,
      async handler(ctx: Context<{ orderId: string; items: StockItem[] }>): Promise<Reservation> {
        try {
          const result = await this.ledger.reserve(ctx.params.orderId, ctx.params.items);
          await this.afterMove(ctx, result, true);
          return toReservation(result.reservation);
        } catch (err) {
          this.translate(err);
        }
      },
    },

    release: {
      visibility: "public",
      params: orderParams,
      async handler(ctx: Context<{ orderId: string }>): Promise<Reservation | null> {
        const result = await this.ledger.release(ctx.params.orderId);
        if (!result) return null;
        await this.afterMove(ctx, result, false);
        return toReservation(result.reservation);
      },
    },

    commit: {
      visibility: "public",
      params: orderParams,
      async handler(ctx: Context<{ orderId: string }>): Promise<Reservation> {
        try {
          const result = await this.ledger.commit(ctx.params.orderId);
          await this.afterMove(ctx, result, false);
          return toReservation(result.reservation);
        } catch (err) {
          this.translate(err);
        }
      },
    },
  },

  events: {
    async "catalog.product.created"(ctx: Context<Product>) {
      if (await this.ledger.ensureLevel(ctx.params.id, initialStock())) await this.announce(ctx, [ctx.params.id]);
    },

    // Products created while no inventory node ran (or while this one was
    // starting: the demo catalog is seeded as services start) get their level
    // when a catalog shows up.
    "$services.changed"() {
      if (this.ledger && !this.stockReconciled && catalogRunning(this.broker)) return this.reconcileWithCatalog();
    },
  },

  methods: {
    async afterMove(ctx: Context, result: LedgerResult, decreased: boolean): Promise<void> {
      if (result.touched.length === 0) return;
      await this.announce(ctx, result.touched);
      if (!decreased) return;
      const threshold = lowThreshold();
      for (const level of await this.ledger.levels.getMany(result.touched)) {
        stockLevel(this.broker, level.productId, level.available, threshold);
        const item = result.reservation.items.find((i) => i.productId === level.productId);
        if (item && isLowAfterChange(level.available + item.quantity, level.available, threshold)) {
          await emit(ctx, "inventory.low", { productId: level.productId, available: level.available, threshold });
        }
      }
    },

    /**
     * Broadcast, not emit: every node that caches product availability (each
     * catalog instance, not just one per service) has to hear it.
     */
    async announce(ctx: Context | null, productIds: string[]): Promise<void> {
      const payload: EventContracts["inventory.changed"] = { productIds };
      if (ctx) await ctx.broadcast("inventory.changed", payload);
      else await this.broker.broadcast("inventory.changed", payload);
    },

    async reconcileWithCatalog(): Promise<void> {
      this.stockReconciled = true;
      try {
        const created: string[] = [];
        for (let page = 1; ; page++) {
          const result = await call(this.broker, "catalog.list", { page, pageSize: 100 });
          for (const product of result.rows) {
            if (await this.ledger.ensureLevel(product.id, initialStock())) created.push(product.id);
          }
          if (page >= result.totalPages) break;
        }
        if (created.length) {
          this.logger.info(`Created stock levels for ${created.length} products (${initialStock()} each).`);
          await this.announce(null, created);
        }
      } catch (err) {
        this.stockReconciled = false;
        this.logger.warn("Could not create stock levels for the catalog's products:", (err as Error).message);
      }
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
    // A second collection of this service: reservations, keyed by orderId.
    this.reservationsAdapter = createAdapter({ service: "inventory", collection: "stock_reservations" });
    this.reservationsAdapter.init(this.broker, {
      schema: { collection: "stock_reservations" },
      logger: this.logger,
    } as never);
  },

  async started() {
    await this.reservationsAdapter.connect();
    this.ledger = new StockLedger(
      new DocStore<LevelDoc>(this.adapter),
      new DocStore<ReservationDoc>(this.reservationsAdapter),
    );
    if (catalogRunning(this.broker)) await this.reconcileWithCatalog();
  },

  async stopped() {
    await this.reservationsAdapter.disconnect();
  },
};

export default InventoryService;
