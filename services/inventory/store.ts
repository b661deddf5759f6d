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
 * Every stock move is one conditional write on one row that also sets the
 * order's hold marker (`holds.<orderId>`) on that row, so it applies at most
 * once per order and product however often it is re-run: a hold writes the
 * quantity held (> 0), a sale or a release marks it spent (minus the time it
 * was spent, in ms). The spent marker stays: a node that was hung in the middle
 * of the order's reserve and resumes after the twin has reserved and sold (or
 * released) it finds the marker and places no hold that nothing would release
 * (the failover test found that race when the marker was removed). Spent
 * markers older than SPENT_MARKER_TTL_MS are dropped by the row's next sale or
 * release, so a row holds those of the last ten minutes only.
 */
/**
 * How long a spent marker blocks a late hold: far beyond a reserve call's own
 * life (REQUEST_TIMEOUT, 10 s, and its retries). A node hung longer than this
 * in the middle of a reserve could still place one hold nothing releases.
 */
export const SPENT_MARKER_TTL_MS = 10 * 60_000;

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
      { [marker]: { $gt: 0 } },
      { $inc: inc, $set: { [marker]: -Date.parse(at), updatedAt: at } },
    );
    if (updated) await this.dropOldSpentMarkers(updated, at);
    return updated !== null;
  }

  /** One conditional write: it applies only if none of those markers changed meanwhile (else the next sale does it). */
  private async dropOldSpentMarkers(level: LevelDoc, at: string): Promise<void> {
    const cutoff = Date.parse(at) - SPENT_MARKER_TTL_MS;
    const old = Object.entries(level.holds ?? {}).filter(([, value]) => value < 0 && -value < cutoff);
    if (old.length === 0) return;
    await this.levels.update(
      level._id,
      Object.fromEntries(old.map(([orderId, value]) => [`holds.${orderId}`, value])),
      { $unset: Object.fromEntries(old.map(([orderId]) => [`holds.${orderId}`, true])) },
    );
  }
}
