import { idRule } from "../platform/core/ids";
import { action, contract, type RuleType } from "../platform/contracts/define";
import { countRule, timestampRule } from "./common";

const stockLevel = {
  type: "object",
  strict: true,
  props: {
    productId: idRule,
    /** What can still be bought. */
    available: countRule,
    /** Held by checkouts in progress. */
    reserved: countRule,
    /** Sold: taken out of stock by confirmed orders. */
    committed: countRule,
    updatedAt: timestampRule,
  },
} as const;
export type StockLevel = RuleType<typeof stockLevel>;

const stockItem = { type: "object", strict: true, props: { productId: idRule, quantity: countRule } } as const;
export type StockItem = RuleType<typeof stockItem>;

export const RESERVATION_STATUSES = ["RESERVED", "RELEASED", "COMMITTED"] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

const reservation = {
  type: "object",
  strict: true,
  props: {
    orderId: idRule,
    status: { type: "enum", values: RESERVATION_STATUSES },
    items: { type: "array", items: stockItem },
  },
} as const;
export type Reservation = RuleType<typeof reservation>;

const MAX_STOCK = 1_000_000;

/*
 * Quantities are integers in a sane range; ids have the entity-id shape, so
 * nothing but a plain string ever reaches a store query (no operator injection).
 */
const quantity = { type: "number", integer: true, min: 0, max: MAX_STOCK } as const;
const byOrder = { $$strict: true, orderId: idRule } as const;
/** Checkout's steps and stock reads use only inventory's own store. */
const ownStoreOnly = { dependsOn: {} } as const;

export const inventoryContract = contract(
  "inventory",
  {
    /** PUT /inventory/:productId (admin): sets the available quantity. */
    set: action({ $$strict: true, productId: idRule, quantity }, stockLevel, {
      dependsOn: { catalog: "hard" },
      // The gateway it went through drops its kept reads of this product at once.
      invalidates: { ids: "productId" },
    }),
    /** Internal. Unknown product → a zero level. */
    get: action({ $$strict: true, productId: idRule }, stockLevel, ownStoreOnly),
    /** Internal: available quantity per product id (missing ids → 0). */
    availability: action(
      { $$strict: true, productIds: { type: "array", items: idRule, max: 1000 } },
      { type: "record", key: { type: "string" }, value: countRule },
      ownStoreOnly,
    ),
    /** Internal, idempotent by orderId. All items or none; not enough stock → 409 OUT_OF_STOCK. */
    reserve: action(
      {
        $$strict: true,
        orderId: idRule,
        items: {
          type: "array",
          min: 1,
          max: 100,
          items: { type: "object", strict: true, props: { productId: idRule, quantity: { ...quantity, min: 1 } } },
        },
      },
      reservation,
      ownStoreOnly,
    ),
    /**
     * Internal, idempotent by orderId: gives reserved stock back (no-op if committed). No reservation →
     * null, and a later reserve for that order answers RELEASED without holding stock.
     */
    release: action(byOrder, { ...reservation, nullable: true }, ownStoreOnly),
    /** Internal, idempotent by orderId: reserved stock becomes sold. Released → 409 RESERVATION_RELEASED; none → 404. */
    commit: action(byOrder, reservation, ownStoreOnly),
  },
  // Stock exists only for catalog products (`set` asks the catalog).
  { dependsOn: { catalog: "hard" } },
);

export interface InventoryEvents {
  /**
   * Broadcast after every change of what can be bought (set, reserve, release,
   * a new product's first level; not a commit, which moves reserved units to
   * committed): gateways drop their cached reads of these products
   * (platform/gateway/read-cache.ts).
   */
  "inventory.changed": { productIds: string[] };
}
