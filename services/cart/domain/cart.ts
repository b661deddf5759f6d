import type { Cart, CartLine, Product } from "../../../contracts";
import { UnprocessableError } from "../../../platform/core/errors";

/** What a cart may hold and how it is shown, free of Moleculer and stores. */

export const MAX_LINES = 50;

/** One stored line: what the customer chose. Names and prices are looked up when the cart is shown. */
export interface StoredLine {
  quantity: number;
  addedAt: string;
}

/** A cart's stored lines, by product id. */
export type StoredLines = Record<string, StoredLine>;

/**
 * The cart as shown: lines in the order they were added, with the current
 * catalog name and price. Products that are gone or no longer for sale
 * (missing from `products`, or inactive) drop out. An empty cart is in the
 * default currency.
 */
export function cartView(lines: StoredLines, products: ReadonlyMap<string, Product>, defaultCurrency: string): Cart {
  const items: CartLine[] = Object.entries(lines)
    .filter(([productId]) => products.get(productId)?.active)
    .sort(([, a], [, b]) => a.addedAt.localeCompare(b.addedAt))
    .map(([productId, line]) => {
      const product = products.get(productId)!;
      return { productId, name: product.name, quantity: line.quantity, unitPriceCents: product.priceCents };
    });
  const currency = items.length ? products.get(items[0].productId)!.currency : defaultCurrency;
  return { items, totalCents: cartTotal(items), currency };
}

export function cartTotal(items: Pick<CartLine, "quantity" | "unitPriceCents">[]): number {
  return items.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
}

/**
 * A cart holds one currency: its total must mean something. Returns the
 * currency that conflicts with adding `product`, if any.
 */
export function currencyConflict(cart: Cart, product: Pick<Product, "id" | "currency">): string | null {
  const others = cart.items.filter((line) => line.productId !== product.id);
  return others.length && cart.currency !== product.currency ? cart.currency : null;
}

/** Only a product for sale, in the cart's currency, may be put in (or have its quantity changed). */
export function assertCanHold(cart: Cart, product: Pick<Product, "id" | "currency" | "active">): void {
  if (!product.active) throw new UnprocessableError("This product is not for sale", "PRODUCT_INACTIVE");
  const conflict = currencyConflict(cart, product);
  if (conflict) {
    throw new UnprocessableError(
      `The cart is in ${conflict}; this product is priced in ${product.currency}`,
      "CURRENCY_MISMATCH",
    );
  }
}

/** A new line needs room: a cart holds at most MAX_LINES different products. */
export function assertRoomForLine(lines: StoredLines): void {
  if (Object.keys(lines).length >= MAX_LINES) {
    throw new UnprocessableError(`A cart holds at most ${MAX_LINES} different products`, "CART_FULL");
  }
}
