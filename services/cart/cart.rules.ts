import type { Cart, CartLine, Product } from "../../contracts";

/** Cart arithmetic, free of Moleculer and stores. */

export const MAX_QUANTITY = 99;
export const MAX_LINES = 50;

/** One stored line: what the customer chose. Names and prices are looked up when the cart is shown. */
export interface StoredLine {
  quantity: number;
  addedAt: string;
}

export interface CartDoc {
  [key: string]: unknown;
  /** The owner's user id: one cart per user. */
  _id: string;
  lines: Record<string, StoredLine>;
  updatedAt: string;
}

/**
 * The cart as shown: lines in the order they were added, with the current
 * catalog name and price. Products that are gone or no longer for sale
 * (missing from `products`, or inactive) drop out. An empty cart is in the
 * default currency.
 */
export function cartView(
  lines: Record<string, StoredLine>,
  products: ReadonlyMap<string, Product>,
  defaultCurrency: string,
): Cart {
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
