import type { Context } from "moleculer";
import { call, cartContract, defineService, type Cart, type Product } from "../../contracts";
import { dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { config } from "../../platform/config";
import { assertCanHold, assertRoomForLine, cartView, type StoredLines } from "./domain/cart";
import { cartOwner } from "./domain/owner";
import { CartStore } from "./store";

/**
 *   DEFAULT_CURRENCY  currency of an empty cart (EUR)
 */
const defaultCurrency = () => config.DEFAULT_CURRENCY;

interface CartMethods {
  carts: CartStore;
  view(ctx: Context, lines: StoredLines, known?: ReadonlyMap<string, Product>): Promise<Cart>;
}

/** One cart per user; names and prices always come from the catalog. */
export default defineService<DbMethods & CartMethods>()(cartContract, {
  mixins: [dbMixin({ service: "cart", collection: "carts" })],

  settings: { rest: "/" },

  actions: {
    get: {
      rest: "GET /cart",
      auth: "customer",
      async handler(ctx) {
        return this.view(ctx, await this.carts.lines(cartOwner(ctx.meta.user)));
      },
    },

    setItem: {
      rest: "PUT /cart/items/:productId",
      auth: "customer",
      async handler(ctx) {
        const userId = cartOwner(ctx.meta.user);
        const { productId, quantity } = ctx.params;
        const product = await call(ctx, "catalog.get", { id: productId });
        // The product just read serves both views of this request: one catalog call, not two.
        const known = new Map([[productId, product]]);
        assertCanHold(await this.view(ctx, await this.carts.lines(userId), known), product);
        let lines = await this.carts.setQuantity(userId, productId, quantity);
        if (!lines) {
          assertRoomForLine(await this.carts.lines(userId));
          lines = await this.carts.addLine(userId, productId, quantity);
        }
        return this.view(ctx, lines, known);
      },
    },

    removeItem: {
      rest: "DELETE /cart/items/:productId",
      auth: "customer",
      async handler(ctx) {
        return this.view(ctx, await this.carts.removeLine(cartOwner(ctx.meta.user), ctx.params.productId));
      },
    },

    clear: {
      rest: "DELETE /cart",
      auth: "customer",
      async handler(ctx) {
        return this.view(ctx, await this.carts.clear(cartOwner(ctx.meta.user)));
      },
    },

    snapshot: {
      visibility: "public",
      auth: "internal",
      async handler(ctx) {
        return this.view(ctx, await this.carts.lines(ctx.params.userId));
      },
    },

    empty: {
      visibility: "public",
      auth: "internal",
      async handler(ctx) {
        return this.view(ctx, await this.carts.clear(ctx.params.userId));
      },
    },
  },

  methods: {
    /** The cart as shown, with each product as the catalog has it now (`known`: read by this request already). */
    async view(ctx: Context, lines: StoredLines, known?: ReadonlyMap<string, Product>): Promise<Cart> {
      const products = new Map<string, Product>(known);
      await Promise.all(
        Object.keys(lines).map(async (id) => {
          if (products.has(id)) return;
          try {
            products.set(id, await call(ctx, "catalog.get", { id }));
          } catch (err) {
            // A product removed from the catalog drops out of the cart; a
            // catalog with no node (also a 404, SERVICE_NOT_FOUND) is not that.
            if ((err as { type?: string }).type !== "NOT_FOUND") throw err;
          }
        }),
      );
      return cartView(lines, products, defaultCurrency());
    },
  },

  created() {
    this.carts = new CartStore(this.adapter);
  },
});
