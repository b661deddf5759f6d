import type { Context } from "moleculer";
import { defineService, type RequestMeta } from "../../contracts";
import { webContract } from "../../contracts/web";
import { config } from "../../platform/config";
import { findAsset } from "./domain/assets";
import { notFoundView } from "./pages/errors";
import { csrfKey, servePage, type Handler } from "./request";
import { catalogPage, productPage } from "./handlers/shop";
import { addToCart, cartPage, removeCartItem, setCartItem } from "./handlers/cart";
import { login, loginForm, logout, register, registerForm } from "./handlers/account";
import { checkoutPage, placeOrder } from "./handlers/checkout";
import { notificationsPage, orderPage, ordersPage } from "./handlers/orders";
import {
  adminCreateProduct,
  adminDeactivateProduct,
  adminEditProduct,
  adminHome,
  adminNewProduct,
  adminOrders,
  adminProducts,
  adminSetStock,
  adminUpdateProduct,
} from "./handlers/admin";

interface WebMethods {
  page<P>(ctx: Context<P, RequestMeta>, handler: Handler<P>): Promise<string | null>;
  form<P>(ctx: Context<P, RequestMeta>, handler: Handler<P>): Promise<string | null>;
}

interface WebState {
  csrfKey: Buffer;
}

/**
 * The storefront: server-rendered HTML pages over the other services'
 * actions. The gateway routes page URLs here (web.routes.ts); each action
 * renders one page (GET) or handles one form (POST, answered with a 303
 * redirect or the form again). Sessions, form tokens and error pages:
 * request.ts. Pages: pages/, their calls: handlers/.
 *
 * Every page action is `public` to the bus: a page reads its own cookie
 * session and answers a sign-in redirect or a 403 page itself (a 401 JSON
 * error is no answer for a browser). The calls it then makes carry the
 * session's user, so the other services still enforce their own levels.
 */
export default defineService<WebMethods & WebState>()(webContract, {
  actions: {
    catalog: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, catalogPage);
      },
    },
    product: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, productPage);
      },
    },
    cart: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, cartPage);
      },
    },
    addToCart: {
      auth: "public",
      handler(ctx) {
        return this.form(ctx, addToCart);
      },
    },
    setCartItem: {
      auth: "public",
      handler(ctx) {
        return this.form(ctx, setCartItem);
      },
    },
    removeCartItem: {
      auth: "public",
      handler(ctx) {
        return this.form(ctx, removeCartItem);
      },
    },
    checkout: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, checkoutPage);
      },
    },
    placeOrder: {
      auth: "public",
      handler(ctx) {
        return this.form(ctx, placeOrder);
      },
    },
    orders: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, ordersPage);
      },
    },
    order: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, orderPage);
      },
    },
    notifications: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, notificationsPage);
      },
    },
    loginForm: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, loginForm);
      },
    },
    login: {
      auth: "public",
      handler(ctx) {
        return this.form(ctx, login);
      },
    },
    registerForm: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, registerForm);
      },
    },
    register: {
      auth: "public",
      handler(ctx) {
        return this.form(ctx, register);
      },
    },
    logout: {
      auth: "public",
      handler(ctx) {
        return this.form(ctx, logout);
      },
    },
    admin: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, adminHome);
      },
    },
    adminProducts: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, adminProducts);
      },
    },
    adminNewProduct: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, adminNewProduct);
      },
    },
    adminCreateProduct: {
      auth: "public",
      handler(ctx) {
        return this.form(ctx, adminCreateProduct);
      },
    },
    adminEditProduct: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, adminEditProduct);
      },
    },
    adminUpdateProduct: {
      auth: "public",
      handler(ctx) {
        return this.form(ctx, adminUpdateProduct);
      },
    },
    adminDeactivateProduct: {
      auth: "public",
      handler(ctx) {
        return this.form(ctx, adminDeactivateProduct);
      },
    },
    adminSetStock: {
      auth: "public",
      handler(ctx) {
        return this.form(ctx, adminSetStock);
      },
    },
    adminOrders: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, adminOrders);
      },
    },
    notFound: {
      auth: "public",
      handler(ctx) {
        return this.page(ctx, async () => ({ view: notFoundView() }));
      },
    },

    asset: {
      auth: "public",
      handler(ctx) {
        const asset = findAsset(ctx.params.file);
        if (!asset) return this.page(ctx, async () => ({ view: notFoundView() }));
        ctx.meta.$responseType = asset.type;
        ctx.meta.$responseHeaders = {
          "Cache-Control": "public, max-age=31536000, immutable",
          "X-Content-Type-Options": "nosniff",
        };
        return asset.body;
      },
    },
  },

  methods: {
    page(ctx, handler) {
      return servePage(ctx, handler, { key: this.csrfKey, cartCount: true, logger: this.logger });
    },
    form(ctx, handler) {
      return servePage(ctx, handler, { key: this.csrfKey, form: true, logger: this.logger });
    },
  },

  created() {
    const secret = config.JWT_SECRET;
    if (!secret && config.NODE_ENV === "production")
      throw new Error("JWT_SECRET is required when NODE_ENV=production (web form tokens)");
    this.csrfKey = csrfKey(secret);
  },
});
