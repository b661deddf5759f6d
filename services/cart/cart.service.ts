import { Errors, type Context, type ServiceSchema, type ServiceSettingSchema } from "moleculer";
import { call, type Caller, type Cart, type Product } from "../../contracts";
import { dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { DocStore } from "../../platform/store/doc-store";
import { envString } from "../../platform/config/env";
import { ID_PATTERN } from "../../platform/core/ids";
import { UnprocessableError } from "../../platform/core/errors";
import { ownCartParams, removeItemParams, setItemParams, userParams } from "./cart.params";
import { cartView, currencyConflict, MAX_LINES, type CartDoc } from "./cart.rules";

/**
 *   DEFAULT_CURRENCY  currency of an empty cart (EUR)
 */
const defaultCurrency = () => envString("DEFAULT_CURRENCY", "EUR");

type Meta = { user?: Caller | null };

interface CartThis {
  carts: DocStore<CartDoc>;
}

interface CartMethods {
  ownerOf(ctx: Context<unknown, Meta>): string;
  view(ctx: Context, userId: string, doc?: CartDoc | null): Promise<Cart>;
  ensureCart(userId: string): Promise<void>;
}

/** One cart per user (`_id` = user id); names and prices always come from the catalog. */
const CartService: ServiceSchema<ServiceSettingSchema, DbMethods & CartMethods & CartThis> = {
  name: "cart",
  mixins: [dbMixin({ service: "cart", collection: "carts" })],

  settings: { rest: "/" },

  actions: {
    get: {
      rest: "GET /cart",
      auth: "customer",
      params: ownCartParams,
      handler(ctx: Context<unknown, Meta>): Promise<Cart> {
        return this.view(ctx, this.ownerOf(ctx));
      },
    },

    setItem: {
      rest: "PUT /cart/items/:productId",
      auth: "customer",
      params: setItemParams,
      async handler(ctx: Context<{ productId: string; quantity: number }, Meta>): Promise<Cart> {
        const userId = this.ownerOf(ctx);
        const { productId, quantity } = ctx.params;
        const product = await call(ctx, "catalog.get", { id: productId });
        if (!product.active) throw new UnprocessableError("This product is not for sale", "PRODUCT_INACTIVE");
        const current = await this.view(ctx, userId);
        const conflict = currencyConflict(current, product);
        if (conflict) {
          throw new UnprocessableError(
            `The cart is in ${conflict}; this product is priced in ${product.currency}`,
            "CURRENCY_MISMATCH",
          );
        }
        const line = `lines.${productId}`;
        const now = new Date().toISOString();
        await this.ensureCart(userId);
        // Changing the quantity keeps the line's place; a new line goes last.
        let doc = await this.carts.update(
          userId,
          { [line]: { $exists: true } },
          { $set: { [`${line}.quantity`]: quantity, updatedAt: now } },
        );
        if (!doc) {
          const stored = await this.carts.get(userId);
          if (stored && Object.keys(stored.lines ?? {}).length >= MAX_LINES) {
            throw new UnprocessableError(`A cart holds at most ${MAX_LINES} different products`, "CART_FULL");
          }
          doc = await this.carts.update(userId, {}, { $set: { [line]: { quantity, addedAt: now }, updatedAt: now } });
        }
        return this.view(ctx, userId, doc);
      },
    },

    removeItem: {
      rest: "DELETE /cart/items/:productId",
      auth: "customer",
      params: removeItemParams,
      async handler(ctx: Context<{ productId: string }, Meta>): Promise<Cart> {
        const userId = this.ownerOf(ctx);
        const doc = await this.carts.update(
          userId,
          {},
          { $unset: { [`lines.${ctx.params.productId}`]: true }, $set: { updatedAt: new Date().toISOString() } },
        );
        return this.view(ctx, userId, doc);
      },
    },

    clear: {
      rest: "DELETE /cart",
      auth: "customer",
      params: ownCartParams,
      async handler(ctx: Context<unknown, Meta>): Promise<Cart> {
        const userId = this.ownerOf(ctx);
        const doc = await this.carts.update(userId, {}, { $set: { lines: {}, updatedAt: new Date().toISOString() } });
        return this.view(ctx, userId, doc);
      },
    },

    snapshot: {
      visibility: "public",
      params: userParams,
      handler(ctx: Context<{ userId: string }>): Promise<Cart> {
        return this.view(ctx, ctx.params.userId);
      },
    },

    empty: {
      visibility: "public",
      params: userParams,
      async handler(ctx: Context<{ userId: string }>): Promise<Cart> {
        const doc = await this.carts.update(
          ctx.params.userId,
          {},
          { $set: { lines: {}, updatedAt: new Date().toISOString() } },
        );
        return this.view(ctx, ctx.params.userId, doc);
      },
    },
  },

  methods: {
    /** The caller's own cart: whoever calls, through the gateway or not, acts on their own. */
    ownerOf(ctx: Context<unknown, Meta>): string {
      const user = ctx.meta.user;
      if (!user || typeof user.id !== "string" || !ID_PATTERN.test(user.id)) {
        throw new Errors.MoleculerClientError("Authentication required", 401, "UNAUTHORIZED");
      }
      return user.id;
    },

    async view(ctx: Context, userId: string, doc?: CartDoc | null): Promise<Cart> {
      const stored = doc === undefined ? await this.carts.get(userId) : doc;
      const lines = stored?.lines ?? {};
      const products = new Map<string, Product>();
      await Promise.all(
        Object.keys(lines).map(async (id) => {
          try {
            products.set(id, await call(ctx, "catalog.get", { id }));
          } catch (err) {
            // A product removed from the catalog drops out of the cart.
            if ((err as { code?: number }).code !== 404) throw err;
          }
        }),
      );
      return cartView(lines, products, defaultCurrency());
    },

    async ensureCart(userId: string): Promise<void> {
      await this.carts.insert({ _id: userId, lines: {}, updatedAt: new Date().toISOString() });
    },
  },

  started() {
    this.carts = new DocStore<CartDoc>(this.adapter);
  },
};

export default CartService;
