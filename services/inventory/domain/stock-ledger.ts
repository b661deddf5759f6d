import type { StockItem } from "../../../contracts";
import { mergeItems, newLevel, type LevelDoc, type ReservationDoc, type ReservationState } from "./stock.rules";

/** What the ledger needs from storage (services/inventory/store.ts): single-document atomic writes. */
export interface StockStore {
  level(productId: string): Promise<LevelDoc | null>;
  levelsOf(productIds: string[]): Promise<LevelDoc[]>;
  addLevel(level: LevelDoc): Promise<boolean>;
  setAvailable(productId: string, quantity: number, at: string): Promise<LevelDoc | null>;
  /** Each moves one item's units once per order (false when this order's hold is not in the expected place). */
  hold(orderId: string, item: StockItem, at: string): Promise<boolean>;
  unhold(orderId: string, item: StockItem, at: string): Promise<boolean>;
  sell(orderId: string, item: StockItem, at: string): Promise<boolean>;
  reservation(orderId: string): Promise<ReservationDoc | null>;
  addReservation(reservation: ReservationDoc): Promise<boolean>;
  transition(
    orderId: string,
    from: ReservationState[],
    to: ReservationState,
    at: string,
    extra?: Partial<ReservationDoc>,
  ): Promise<ReservationDoc | null>;
}

/** Not enough stock for one of the items; nothing stays reserved. */
export class OutOfStock extends Error {
  constructor(
    readonly productId: string,
    readonly requested: number,
  ) {
    super("Not enough stock");
  }
}

/** commit() of a reservation that was released (or never made). */
export class NotCommittable extends Error {
  constructor(
    readonly orderId: string,
    readonly state: ReservationState | "MISSING",
  ) {
    super(state === "MISSING" ? "No reservation for this order" : "The reservation was released");
  }
}

export interface LedgerResult {
  reservation: ReservationDoc;
  /**
   * Products whose available units this call changed (for inventory.changed and
   * the low-stock gauge). A sale (reserved → committed) changes none: what can
   * be bought stays the same.
   */
  touched: string[];
}

/**
 * Reservations over stock rows, idempotent by orderId and crash-safe.
 *
 * Every stock movement is one conditional write on one stock row that
 * applies at most once per order and product however often it is re-run
 * (see StockStore). The reservation
 * document records where the order is heading (its state) before the rows
 * change; re-running reserve/release/commit from any intermediate state
 * finishes the move it records, so after any crash
 * available + reserved + committed stays what it was for every product.
 */
export class StockLedger {
  constructor(
    private readonly store: StockStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private at(): string {
    return this.now().toISOString();
  }

  /** Sets the available quantity, keeping reserved and committed. Returns the level before and after. */
  async setAvailable(productId: string, quantity: number): Promise<{ before: number; level: LevelDoc }> {
    for (;;) {
      const before = await this.store.level(productId);
      const level = await this.store.setAvailable(productId, quantity, this.at());
      if (level) return { before: before?.available ?? 0, level };
      const created = newLevel(productId, quantity, this.now());
      if (await this.store.addLevel(created)) return { before: 0, level: created };
      // Created concurrently: update that row instead.
    }
  }

  /** Creates a level for a product that has none; an existing level is left alone. */
  async ensureLevel(productId: string, available: number): Promise<boolean> {
    return this.store.addLevel(newLevel(productId, available, this.now()));
  }

  async reserve(orderId: string, items: StockItem[]): Promise<LedgerResult> {
    const timestamp = this.now().toISOString();
    const fresh: ReservationDoc = {
      _id: orderId,
      orderId,
      state: "RESERVING",
      items: mergeItems(items),
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    // The first call for an order fixes its items; repeats drive that record.
    const doc = (await this.store.addReservation(fresh)) ? fresh : await this.mustGet(orderId);
    return this.driveReserve(doc, []);
  }

  /** Gives held stock back. No reservation → null (and a tombstone, so a late reserve cannot hold stock). */
  async release(orderId: string): Promise<LedgerResult | null> {
    const doc = await this.store.reservation(orderId);
    if (!doc) {
      const timestamp = this.now().toISOString();
      const tombstone: ReservationDoc = {
        _id: orderId,
        orderId,
        state: "RELEASED",
        items: [],
        createdAt: timestamp,
        updatedAt: timestamp,
      };
      if (await this.store.addReservation(tombstone)) return null;
      return this.release(orderId);
    }
    if (doc.state === "RELEASED" && doc.items.length === 0) return null;
    return this.driveRelease(doc, []);
  }

  async commit(orderId: string): Promise<LedgerResult> {
    const doc = await this.store.reservation(orderId);
    if (!doc) throw new NotCommittable(orderId, "MISSING");
    return this.driveCommit(doc, []);
  }

  private async driveReserve(doc: ReservationDoc, touched: string[]): Promise<LedgerResult> {
    switch (doc.state) {
      case "RESERVED":
      case "COMMITTED":
        return { reservation: doc, touched };
      case "COMMITTING":
        return this.driveCommit(doc, touched);
      case "RELEASING":
      case "RELEASED": {
        const result =
          doc.state === "RELEASING" ? await this.driveRelease(doc, touched) : { reservation: doc, touched };
        const oos = result.reservation.outOfStock;
        if (oos) throw new OutOfStock(oos.productId, oos.requested);
        return result;
      }
      case "RESERVING":
        break;
    }
    for (const item of doc.items) {
      const outcome = await this.hold(doc.orderId, item);
      if (outcome === "held") touched.push(item.productId);
      if (outcome === "short") {
        const giveUp = await this.transition(doc.orderId, ["RESERVING"], "RELEASING", {
          outOfStock: { productId: item.productId, requested: item.quantity },
        });
        return this.driveReserve(giveUp ?? (await this.mustGet(doc.orderId)), touched);
      }
    }
    const reserved = await this.transition(doc.orderId, ["RESERVING"], "RESERVED");
    if (reserved) return { reservation: reserved, touched };
    // Released (or finished) by someone else meanwhile; a release may have run
    // before some of our holds landed, so finishing it again returns them.
    return this.driveReserve(await this.mustGet(doc.orderId), touched);
  }

  private async driveRelease(doc: ReservationDoc, touched: string[]): Promise<LedgerResult> {
    if (doc.state === "COMMITTING" || doc.state === "COMMITTED") return this.driveCommit(doc, touched);
    let current: ReservationDoc | null = doc;
    if (doc.state !== "RELEASING") {
      current = await this.transition(doc.orderId, ["RESERVING", "RESERVED"], "RELEASING");
      if (!current) {
        const now = await this.mustGet(doc.orderId);
        if (now.state === "RELEASED") return { reservation: now, touched };
        return this.driveRelease(now, touched);
      }
    }
    for (const item of current.items)
      if (await this.store.unhold(current.orderId, item, this.at())) touched.push(item.productId);
    const released = await this.transition(current.orderId, ["RELEASING"], "RELEASED");
    return { reservation: released ?? (await this.mustGet(current.orderId)), touched };
  }

  private async driveCommit(doc: ReservationDoc, touched: string[]): Promise<LedgerResult> {
    let current = doc;
    if (current.state === "RESERVING") current = (await this.driveReserve(current, touched)).reservation;
    if (current.state === "COMMITTED") return { reservation: current, touched };
    if (current.state === "RELEASING" || current.state === "RELEASED")
      throw new NotCommittable(current.orderId, current.state);
    if (current.state === "RESERVED") {
      const committing = await this.transition(current.orderId, ["RESERVED"], "COMMITTING");
      if (!committing) return this.driveCommit(await this.mustGet(current.orderId), touched);
      current = committing;
    }
    for (const item of current.items) await this.store.sell(current.orderId, item, this.at());
    const committed = await this.transition(current.orderId, ["COMMITTING"], "COMMITTED");
    return { reservation: committed ?? (await this.mustGet(current.orderId)), touched };
  }

  /** available → reserved for one item, once per order (a spent marker: held once, then sold or released). */
  private async hold(orderId: string, item: StockItem): Promise<"held" | "already" | "short"> {
    if (await this.store.hold(orderId, item, this.at())) return "held";
    const level = await this.store.level(item.productId);
    return level?.holds?.[orderId] !== undefined ? "already" : "short";
  }

  private transition(
    orderId: string,
    from: ReservationState[],
    to: ReservationState,
    extra: Partial<ReservationDoc> = {},
  ): Promise<ReservationDoc | null> {
    return this.store.transition(orderId, from, to, this.at(), extra);
  }

  private async mustGet(orderId: string): Promise<ReservationDoc> {
    const doc = await this.store.reservation(orderId);
    if (!doc) throw new Error(`Reservation ${orderId} disappeared`);
    return doc;
  }
}
