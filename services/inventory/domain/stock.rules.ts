import type { Reservation, ReservationStatus, StockItem, StockLevel } from "../../../contracts";

/** Stock arithmetic and reservation states, free of Moleculer and of any store. */

/** A stock row: the public level plus the orders currently holding units of it. */
export interface LevelDoc {
  [key: string]: unknown;
  _id: string;
  productId: string;
  available: number;
  reserved: number;
  committed: number;
  /**
   * orderId → units held. The marker lives in the same document as the
   * counters, so "move q units and remember that this order did it" is one
   * atomic write: a re-run after a crash cannot move them twice.
   */
  holds: Record<string, number>;
  updatedAt: string;
}

/**
 * A reservation walks RESERVING → RESERVED → COMMITTING → COMMITTED, or
 * (from RESERVING or RESERVED) RELEASING → RELEASED. The -ING states are
 * written before the stock rows change, so whoever finds one after a crash
 * knows which way to finish.
 */
export type ReservationState = "RESERVING" | "RESERVED" | "RELEASING" | "RELEASED" | "COMMITTING" | "COMMITTED";

export interface ReservationDoc {
  [key: string]: unknown;
  _id: string;
  orderId: string;
  state: ReservationState;
  items: StockItem[];
  /** Set when the reservation was given up for lack of stock: a repeat answers 409 again. */
  outOfStock?: { productId: string; requested: number };
  createdAt: string;
  updatedAt: string;
}

/** One line per product (quantities of repeated products added up), in a stable order. */
export function mergeItems(items: StockItem[]): StockItem[] {
  const byProduct = new Map<string, number>();
  for (const { productId, quantity } of items) byProduct.set(productId, (byProduct.get(productId) ?? 0) + quantity);
  return [...byProduct.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([productId, quantity]) => ({ productId, quantity }));
}

export function newLevel(productId: string, available: number, now: Date = new Date()): LevelDoc {
  return { _id: productId, productId, available, reserved: 0, committed: 0, holds: {}, updatedAt: now.toISOString() };
}

export function toStockLevel(doc: LevelDoc | null, productId: string): StockLevel {
  if (!doc) return { productId, available: 0, reserved: 0, committed: 0, updatedAt: new Date(0).toISOString() };
  return {
    productId: doc.productId,
    available: doc.available,
    reserved: doc.reserved,
    committed: doc.committed,
    updatedAt: doc.updatedAt,
  };
}

/** Every unit a product ever had is in exactly one bucket. */
export function stockTotal(level: Pick<StockLevel, "available" | "reserved" | "committed">): number {
  return level.available + level.reserved + level.committed;
}

/** The status callers see: in-between states answer as the state they are heading to. */
export function publicStatus(state: ReservationState): ReservationStatus {
  switch (state) {
    case "RESERVING":
    case "RESERVED":
      return "RESERVED";
    case "RELEASING":
    case "RELEASED":
      return "RELEASED";
    case "COMMITTING":
    case "COMMITTED":
      return "COMMITTED";
  }
}

export function toReservation(doc: ReservationDoc): Reservation {
  return { orderId: doc.orderId, status: publicStatus(doc.state), items: doc.items };
}
