import { webContract } from "../../contracts/web";
import { PAGE_ALIASES, SIGN_IN_ALIASES } from "../../services/web/web.routes";
import { WEB_PAGES } from "../../services/web/web.pages";
import webService from "../../services/web/web.service";

/** The storefront's page table (web.pages.ts): the URLs, actions and serving it generates. */
describe("web page table", () => {
  it("maps the same URLs to the same actions, in the gateway's matching order", () => {
    expect(Object.entries(PAGE_ALIASES)).toEqual([
      ["GET /", "web.catalog"],
      ["GET /products/:id", "web.product"],
      ["GET /cart", "web.cart"],
      ["POST /cart/items", "web.addToCart"],
      ["POST /cart/items/:productId/remove", "web.removeCartItem"],
      ["POST /cart/items/:productId", "web.setCartItem"],
      ["GET /checkout", "web.checkout"],
      ["POST /checkout", "web.placeOrder"],
      ["GET /orders", "web.orders"],
      ["GET /orders/:id", "web.order"],
      ["GET /notifications", "web.notifications"],
      ["GET /login", "web.loginForm"],
      ["GET /register", "web.registerForm"],
      ["POST /logout", "web.logout"],
      ["GET /admin", "web.admin"],
      ["GET /admin/products", "web.adminProducts"],
      ["GET /admin/products/new", "web.adminNewProduct"],
      ["POST /admin/products", "web.adminCreateProduct"],
      ["GET /admin/products/:id", "web.adminEditProduct"],
      ["POST /admin/products/:id/deactivate", "web.adminDeactivateProduct"],
      ["POST /admin/products/:id", "web.adminUpdateProduct"],
      ["POST /admin/stock/:productId", "web.adminSetStock"],
      ["GET /admin/orders", "web.adminOrders"],
      ["GET /assets/:file", "web.asset"],
    ]);
    expect(Object.entries(SIGN_IN_ALIASES)).toEqual([
      ["POST /login", "web.login"],
      ["POST /register", "web.register"],
    ]);
  });

  it("serves every GET as a page and every POST as a form (its token checked)", () => {
    for (const page of Object.values(WEB_PAGES)) {
      if (page.url) expect([page.url, page.serve]).toEqual([page.url, page.url.startsWith("GET") ? "page" : "form"]);
    }
  });

  it("generates exactly the contract's actions, each public and validated by the contract's params", () => {
    const actions = webService.actions as Record<string, { auth: string; params: unknown }>;
    expect(Object.keys(actions).sort()).toEqual(Object.keys(webContract.actions).sort());
    for (const [name, def] of Object.entries(webContract.actions)) {
      expect(actions[name].auth).toBe("public");
      expect(actions[name].params).toBe(def.params);
      expect(actions[name]).not.toHaveProperty("rest");
    }
  });
});

describe("the sign-in redirect", () => {
  it("comes back to the page, its query dropped when the login form could not carry it", async () => {
    const { loginRedirect } = await import("../../services/web/request");
    expect(loginRedirect("/orders?page=2")).toBe(`/login?next=${encodeURIComponent("/orders?page=2")}`);
    expect(loginRedirect(`/admin/products/new?q=${"x".repeat(16_000)}`)).toBe(
      `/login?next=${encodeURIComponent("/admin/products/new")}`,
    );
    expect(loginRedirect(`/${"p".repeat(3_000)}`)).toBe("/login");
  });
});
