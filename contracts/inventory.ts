export interface StockLevel {
  productId: string;
  /** What can still be bought. */
  available: number;
  /** Held by checkouts in progress. */
  reserved: number;
  /** Sold: taken out of stock by confirmed orders. */
  committed: number;
  updatedAt: string;
}

export interface StockItem {
  productId: string;
  quantity: number;
}

export type ReservationStatus = "RESERVED" | "RELEASED" | "COMMITTED";

export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  items: StockItem[];
}

export interface InventoryActions {
  /** PUT /inventory/:productId (admin): sets the available quantity. */
  "inventory.set": { params: { productId: string; quantity: number }; result: StockLevel };
  /** Internal. Unknown product → a zero level. */
  "inventory.get": { params: { productId: string }; result: StockLevel };
  /** Internal: available quantity per product id (missing ids → 0). */
  "inventory.availability": { params: { productIds: string[] }; result: Record<string, number> };
  /** Internal, idempotent by orderId. All items or none; not enough stock → 409 OUT_OF_STOCK. */
  "inventory.reserve": { params: { orderId: string; items: StockItem[] }; result: Reservation };
  /**
   * Internal, idempotent by orderId: gives reserved stock back (no-op if committed). No reservation →
   * null, and a later reserve for that order answers RELEASED without holding stock.
   */
  "inventory.release": { params: { orderId: string }; result: Reservation | null };
  /** Internal, idempotent by orderId: reserved stock becomes sold. Released → 409 RESERVATION_RELEASED; none → 404. */
  "inventory.commit": { params: { orderId: string }; result: Reservation };
}

export interface InventoryEvents {
  /** Available stock of a product dropped below the threshold (INVENTORY_LOW_THRESHOLD). */
  "inventory.low": { productId: string; available: number; threshold: number };
  /** Available stock of some products changed (cache invalidation for readers); broadcast to every node. */
  "inventory.changed": { productIds: string[] };
}
