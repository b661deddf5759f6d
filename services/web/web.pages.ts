import type { ParamsOfDef } from "../../contracts";
import type { webContract } from "../../contracts/web";
import { notFoundView } from "./pages/errors";
import type { Handler } from "./request";
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

type WebActions = (typeof webContract)["actions"];

/**
 * One storefront page or form: the URL the gateway maps to it, how the web
 * service serves it and the handler that answers it.
 * - `page`: a GET; the header shows the cart's size.
 * - `form`: a POST; its form token and origin are checked before the handler runs.
 * `signIn` puts the URL on the gateway's sign-in route, which shares the API's
 * per-address rate limit on logins; a page without a URL is reached only by
 * name (the gateway's fallback for unknown URLs calls `web.notFound`).
 */
export interface WebPage<P> {
  url?: `${"GET" | "POST"} /${string}`;
  serve: "page" | "form";
  handler: Handler<P>;
  signIn?: true;
}

export type PageName = Exclude<keyof WebActions, "asset">;

const notFound: Handler<unknown> = async () => ({ view: notFoundView() });

/**
 * Every action of the web service but `asset` (web.service.ts), in the order
 * the gateway matches their URLs: a literal segment (`/admin/products/new`,
 * `.../remove`) before the parameter that would also match it.
 */
export const WEB_PAGES: { [K in PageName]: WebPage<ParamsOfDef<WebActions[K]>> } = {
  catalog: { url: "GET /", serve: "page", handler: catalogPage },
  product: { url: "GET /products/:id", serve: "page", handler: productPage },
  cart: { url: "GET /cart", serve: "page", handler: cartPage },
  addToCart: { url: "POST /cart/items", serve: "form", handler: addToCart },
  removeCartItem: { url: "POST /cart/items/:productId/remove", serve: "form", handler: removeCartItem },
  setCartItem: { url: "POST /cart/items/:productId", serve: "form", handler: setCartItem },
  checkout: { url: "GET /checkout", serve: "page", handler: checkoutPage },
  placeOrder: { url: "POST /checkout", serve: "form", handler: placeOrder },
  orders: { url: "GET /orders", serve: "page", handler: ordersPage },
  order: { url: "GET /orders/:id", serve: "page", handler: orderPage },
  notifications: { url: "GET /notifications", serve: "page", handler: notificationsPage },
  loginForm: { url: "GET /login", serve: "page", handler: loginForm },
  registerForm: { url: "GET /register", serve: "page", handler: registerForm },
  logout: { url: "POST /logout", serve: "form", handler: logout },
  admin: { url: "GET /admin", serve: "page", handler: adminHome },
  adminProducts: { url: "GET /admin/products", serve: "page", handler: adminProducts },
  adminNewProduct: { url: "GET /admin/products/new", serve: "page", handler: adminNewProduct },
  adminCreateProduct: { url: "POST /admin/products", serve: "form", handler: adminCreateProduct },
  adminEditProduct: { url: "GET /admin/products/:id", serve: "page", handler: adminEditProduct },
  adminDeactivateProduct: {
    url: "POST /admin/products/:id/deactivate",
    serve: "form",
    handler: adminDeactivateProduct,
  },
  adminUpdateProduct: { url: "POST /admin/products/:id", serve: "form", handler: adminUpdateProduct },
  adminSetStock: { url: "POST /admin/stock/:productId", serve: "form", handler: adminSetStock },
  adminOrders: { url: "GET /admin/orders", serve: "page", handler: adminOrders },
  login: { url: "POST /login", serve: "form", handler: login, signIn: true },
  register: { url: "POST /register", serve: "form", handler: register, signIn: true },
  notFound: { serve: "page", handler: notFound },
};
