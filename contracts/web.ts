import { action, contract } from "../platform/contracts/define";

/**
 * The storefront (services/web): server-rendered pages. Each action answers
 * one page or one form post with an HTML document (or a redirect) and is
 * reached only through the gateway's page routes (services/web/web.routes.ts),
 * never under /api/v1. Form and query fields arrive as text; the pages parse
 * them and answer bad input with a page that says so.
 */
const text = (max: number) => ({ type: "string", max, optional: true }) as const;
const id = { type: "string", min: 1, max: 64 } as const;
const csrf = { _csrf: text(200) } as const;

const productFields = {
  sku: text(64),
  name: text(400),
  description: text(10_000),
  price: text(32),
  currency: text(8),
  category: text(128),
  tags: text(1000),
} as const;

// null: a redirect (303 with Location), no body.
const html = { type: "string", nullable: true } as const;
const none = { $$strict: "remove" } as const;

export const webContract = contract(
  "web",
  {
    catalog: action({ $$strict: "remove", q: text(400), category: text(400), sort: text(32), page: text(16) }, html),
    product: action({ $$strict: "remove", id, added: text(8) }, html),
    cart: action(none, html),
    addToCart: action({ $$strict: "remove", ...csrf, productId: id, quantity: text(8) }, html),
    setCartItem: action({ $$strict: "remove", ...csrf, productId: id, quantity: text(8) }, html),
    removeCartItem: action({ $$strict: "remove", ...csrf, productId: id }, html),
    checkout: action(none, html),
    placeOrder: action(
      {
        $$strict: "remove",
        ...csrf,
        idempotencyKey: text(200),
        cardNumber: text(64),
        cardExpiry: text(16),
        cardCvc: text(8),
      },
      html,
    ),
    orders: action({ $$strict: "remove", page: text(16) }, html),
    order: action({ $$strict: "remove", id, placed: text(8) }, html),
    notifications: action(none, html),
    loginForm: action({ $$strict: "remove", next: text(2000) }, html),
    login: action({ $$strict: "remove", ...csrf, email: text(400), password: text(400), next: text(2000) }, html),
    registerForm: action(none, html),
    register: action({ $$strict: "remove", ...csrf, email: text(400), password: text(400), name: text(400) }, html),
    logout: action({ $$strict: "remove", ...csrf }, html),
    admin: action(none, html),
    adminProducts: action({ $$strict: "remove", page: text(16), notice: text(32) }, html),
    adminNewProduct: action(none, html),
    adminCreateProduct: action({ $$strict: "remove", ...csrf, ...productFields }, html),
    adminEditProduct: action({ $$strict: "remove", id }, html),
    adminUpdateProduct: action({ $$strict: "remove", ...csrf, id, ...productFields }, html),
    adminDeactivateProduct: action({ $$strict: "remove", ...csrf, id }, html),
    adminSetStock: action({ $$strict: "remove", ...csrf, productId: id, quantity: text(16) }, html),
    adminOrders: action({ $$strict: "remove", page: text(16) }, html),
    asset: action({ $$strict: "remove", file: { type: "string", max: 64 } }, html),
    notFound: action(none, html),
  },
  {
    // Every page degrades alone: a page whose data cannot be had answers a 503 page, the rest of the site works,
    // so no dependency keeps a node that runs web (usually the gateway's) from being ready.
    dependsOn: {
      catalog: "optional",
      users: "optional",
      cart: "optional",
      orders: "optional",
      notifications: "optional",
      inventory: "optional",
    },
  },
);

/** The parts of the HTTP request a page needs; the gateway's page routes put them in `ctx.meta.http`. */
export interface WebRequestInfo {
  method: string;
  /** Path and query, as requested. */
  url: string;
  host?: string;
  cookie?: string;
  origin?: string;
  referer?: string;
  secFetchSite?: string;
}
