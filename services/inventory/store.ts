import type { Service, ServiceBroker } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import type { StockItem } from "../../contracts";
import { createAdapter } from "../../mixins/db.mixin";
import { DocStore } from "../../platform/store/doc-store";
import type { StockStore } from "./domain/stock-ledger";
import type { LevelDoc, ReservationDoc, ReservationState } from "./domain/stock.rules";

/** The reservations collection: the inventory's second collection, beside the mixin's stock levels. */
export function reservationsAdapter(broker: ServiceBroker, logger: Service["logger"]): DbAdapter {
  const adapter = createAdapter({ service: "inventory", collection: "stock_reservations" });
  adapter.init(broker, { schema: { collection: "stock_reservations" }, logger } as never);
  return adapter;
}

/**
 * The inventory's only data access: stock rows and reservations.
 *
 * Every stock move is one conditional write on one row that also adds or
 * removes the order's hold marker (`holds.<orderId>`) on that row, so it
 * applies at most once per order and product however often it is re-run.
 */
export class InventoryStore implements StockStore {
  readonly levels: DocStore<LevelDoc>;
  readonly reservations: DocStore<ReservationDoc>;

  constructor(levels: DbAdapter, reservations: DbAdapter) {
    this.levels = new DocStore<LevelDoc>(levels);
    this.reservations = new DocStore<ReservationDoc>(reservations);
  }

  level(productId: string): Promise<LevelDoc | null> {
    return this.levels.get(productId);
  }

  levelsOf(productIds: string[]): Promise<LevelDoc[]> {
    return this.levels.getMany(productIds);
  }

  /** False when the product has a level already (nothing changes then). */
  addLevel(level: LevelDoc): Promise<boolean> {
    return this.levels.insert(level);
  }

  /** Null when the product has no level yet. */
  setAvailable(productId: string, quantity: number, at: string): Promise<LevelDoc | null> {
    return this.levels.update(productId, {}, { $set: { available: quantity, updatedAt: at } });
  }

  /** available → reserved for one item; false when not enough is left or the order holds it already. */
  async hold(orderId: string, item: StockItem, at: string): Promise<boolean> {
    const marker = `holds.${orderId}`;
    const updated = await this.levels.update(
      item.productId,
      { available: { $gte: item.quantity }, [marker]: { $exists: false } },
      {
        $inc: { available: -item.quantity, reserved: item.quantity },
        $set: { [marker]: item.quantity, updatedAt: at },
      },
    );
    return updated !== null;
  }

  /** reserved → available for one item, if this order still holds it. */
  unhold(orderId: string, item: StockItem, at: string): Promise<boolean> {
    return this.dropHold(orderId, item.productId, { available: item.quantity, reserved: -item.quantity }, at);
  }

  /** reserved → committed for one item, if this order still holds it. */
  sell(orderId: string, item: StockItem, at: string): Promise<boolean> {
    return this.dropHold(orderId, item.productId, { reserved: -item.quantity, committed: item.quantity }, at);
  }

  reservation(orderId: string): Promise<ReservationDoc | null> {
    return this.reservations.get(orderId);
  }

  /** False when the order has a reservation already. */
  addReservation(reservation: ReservationDoc): Promise<boolean> {
    return this.reservations.insert(reservation);
  }

  /** Moves the reservation to `to` if it is in one of `from`; null when it was not. */
  transition(
    orderId: string,
    from: ReservationState[],
    to: ReservationState,
    at: string,
    extra: Partial<ReservationDoc> = {},
  ): Promise<ReservationDoc | null> {
    return this.reservations.update(
      orderId,
      { state: { $in: from } },
      { $set: { state: to, updatedAt: at, ...extra } },
    );
  }

  private async dropHold(orderId: string, productId: string, inc: Record<string, number>, at: string) {
    const marker = `holds.${orderId}`;
    const updated = await this.levels.update(
      productId,
      { [marker]: { $exists: true } },
      { $inc: inc, $unset: { [marker]: true }, $set: { updatedAt: at } },
    );
    return updated !== null;
  }
}
