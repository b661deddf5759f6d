export interface CartLine {
  productId: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Cart {
  items: CartLine[];
  totalCents: number;
  currency: string;
}

/** REST actions act on the caller's own cart (ctx.meta.user); internal ones name the user. */
export interface CartActions {
  /** GET /cart (customer). */
  "cart.get": { params: Record<string, never>; result: Cart };
  /** PUT /cart/items/:productId (customer). quantity 1..99; unknown product → 404, inactive → 422. */
  "cart.setItem": { params: { productId: string; quantity: number }; result: Cart };
  /** DELETE /cart/items/:productId (customer). */
  "cart.removeItem": { params: { productId: string }; result: Cart };
  /** DELETE /cart (customer). */
  "cart.clear": { params: Record<string, never>; result: Cart };
  /** Internal: the cart of a user, with current catalog prices. */
  "cart.snapshot": { params: { userId: string }; result: Cart };
  /** Internal: empties a user's cart (after a confirmed order). */
  "cart.empty": { params: { userId: string }; result: Cart };
}
