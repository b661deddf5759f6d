import { idRule } from "../platform/core/ids";
import { action, contract, type RuleType } from "../platform/contracts/define";
import { countRule, currencyRule } from "./common";

const cartLine = {
  type: "object",
  strict: true,
  props: { productId: idRule, name: { type: "string" }, quantity: countRule, unitPriceCents: countRule },
} as const;
export type CartLine = RuleType<typeof cartLine>;

const cart = {
  type: "object",
  strict: true,
  props: { items: { type: "array", items: cartLine }, totalCents: countRule, currency: currencyRule },
} as const;
export type Cart = RuleType<typeof cart>;

/** Units of one product a cart line may hold. */
export const MAX_QUANTITY = 99;

/*
 * REST actions act on the caller's own cart (ctx.meta.user), so they take no
 * user id: stray query fields are dropped. Internal ones name the user.
 */
const ownCart = { $$strict: "remove" } as const;
const ofUser = { $$strict: true, userId: idRule } as const;
/** An emptied cart shows no product, so it needs nothing from the catalog. */
const emptyCart = { dependsOn: {} } as const;

export const cartContract = contract(
  "cart",
  {
    /** GET /cart (customer). */
    get: action(ownCart, cart),
    /** PUT /cart/items/:productId (customer). Unknown product → 404, inactive → 422. */
    setItem: action(
      {
        $$strict: true,
        productId: idRule,
        quantity: { type: "number", integer: true, min: 1, max: MAX_QUANTITY },
      },
      cart,
      { errors: { 422: "The product is not for sale, or the cart is full" } },
    ),
    /** DELETE /cart/items/:productId (customer). */
    removeItem: action({ $$strict: true, productId: idRule }, cart),
    /** DELETE /cart (customer). */
    clear: action(ownCart, cart, emptyCart),
    /** Internal: the cart of a user, with current catalog prices. */
    snapshot: action(ofUser, cart),
    /** Internal: empties a user's cart (after a confirmed order). */
    empty: action(ofUser, cart, emptyCart),
  },
  // Every cart answer shows the catalog's current name and price.
  { dependsOn: { catalog: "hard" } },
);
