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
 */
export default defineService<WebMethods & WebState>()(webContract, {
  actions: {
    catalog: {
      handler(ctx) {
        return this.page(ctx, catalogPage);
      },
    },
    product: {
      handler(ctx) {
        return this.page(ctx, productPage);
      },
    },
    cart: {
      handler(ctx) {
        return this.page(ctx, cartPage);
      },
    },
    addToCart: {
      handler(ctx) {
        return this.form(ctx, addToCart);
      },
    },
    setCartItem: {
      handler(ctx) {
        return this.form(ctx, setCartItem);
      },
    },
    removeCartItem: {
      handler(ctx) {
        return this.form(ctx, removeCartItem);
      },
    },
    checkout: {
      handler(ctx) {
        return this.page(ctx, checkoutPage);
      },
    },
    placeOrder: {
      handler(ctx) {
        return this.form(ctx, placeOrder);
      },
    },
    orders: {
      handler(ctx) {
        return this.page(ctx, ordersPage);
      },
    },
    order: {
      handler(ctx) {
        return this.page(ctx, orderPage);
      },
    },
    notifications: {
      handler(ctx) {
        return this.page(ctx, notificationsPage);
      },
    },
    loginForm: {
      handler(ctx) {
        return this.page(ctx, loginForm);
      },
    },
    login: {
      handler(ctx) {
        return this.form(ctx, login);
      },
    },
    registerForm: {
      handler(ctx) {
        return this.page(ctx, registerForm);
      },
    },
    register: {
      handler(ctx) {
        return this.form(ctx, register);
      },
    },
    logout: {
      handler(ctx) {
        return this.form(ctx, logout);
      },
    },
    admin: {
      handler(ctx) {
        return this.page(ctx, adminHome);
      },
    },
    adminProducts: {
      handler(ctx) {
        return this.page(ctx, adminProducts);
      },
    },
    adminNewProduct: {
      handler(ctx) {
        return this.page(ctx, adminNewProduct);
      },
    },
    adminCreateProduct: {
      handler(ctx) {
        return this.form(ctx, adminCreateProduct);
      },
    },
    adminEditProduct: {
      handler(ctx) {
        return this.page(ctx, adminEditProduct);
      },
    },
    adminUpdateProduct: {
      handler(ctx) {
        return this.form(ctx, adminUpdateProduct);
      },
    },
    adminDeactivateProduct: {
      handler(ctx) {
        return this.form(ctx, adminDeactivateProduct);
      },
    },
    adminSetStock: {
      handler(ctx) {
        return this.form(ctx, adminSetStock);
      },
    },
    adminOrders: {
      handler(ctx) {
        return this.page(ctx, adminOrders);
      },
    },
    notFound: {
      handler(ctx) {
        return this.page(ctx, async () => ({ view: notFoundView() }));
      },
    },

    asset: {
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
