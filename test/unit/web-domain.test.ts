import { availability } from "../../services/web/domain/availability";
import { catalogUrl, parseCatalogQuery } from "../../services/web/domain/catalog-query";
import { checkoutOutcome, parseCard } from "../../services/web/domain/checkout";
import { isLocalHost, parseCookies, serializeCookie } from "../../services/web/domain/cookies";
import { csrfToken, sameOrigin, validCsrfToken } from "../../services/web/domain/csrf";
import { classifyFailure, safeNext } from "../../services/web/domain/failure";
import { html } from "../../services/web/domain/html";
import { formatPrice, parsePrice } from "../../services/web/domain/money";
import { parseProductForm } from "../../services/web/domain/product-form";

describe("storefront rules", () => {
  it("words availability, with unknown never shown as sold out", () => {
    expect([null, undefined, 0, 1, 4, 5, 50].map((n) => availability(n).text)).toEqual([
      "availability unknown",
      "availability unknown",
      "sold out",
      "1 left",
      "4 left",
      "in stock",
      "in stock",
    ]);
  });

  it("keeps the catalog's state in short URLs and survives hand-edited ones", () => {
    const q = parseCatalogQuery({ q: " mug ", category: "kitchen", sort: "-priceCents", page: "2" });
    expect(q).toEqual({ q: "mug", category: "kitchen", sort: "-priceCents", page: 2 });
    expect(catalogUrl(q)).toBe("/?q=mug&category=kitchen&sort=-priceCents&page=2");
    expect(catalogUrl(q, { page: 1 })).toBe("/?q=mug&category=kitchen&sort=-priceCents");
    expect(parseCatalogQuery({ sort: "$where", page: "-3" })).toEqual({ q: "", category: "", sort: "name", page: 1 });
    expect(catalogUrl(parseCatalogQuery({}))).toBe("/");
  });

  it("escapes every interpolated value unless it is markup built the same way", () => {
    const name = `<script>alert("x")</script>&'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
    const items = ["a", "<b>"].map((x) => html`<li>${x}</li>`);
    // Another name for the tag: prettier reflows templates tagged `html`, which would change the expected text.
    const tag = html;
    expect(tag`<ul>${items}</ul>`.value).toBe("<ul><li>a</li><li>&lt;b&gt;</li></ul>");
    expect(html`${null}${undefined}${false}${0}`.value).toBe("0");
  });

  it("formats and parses prices in minor units", () => {
    expect(formatPrice(1999, "EUR")).toBe("€19.99");
    expect(formatPrice(500, "USD")).toBe("$5.00");
    expect([parsePrice("12.5"), parsePrice("12,50"), parsePrice("7"), parsePrice("1.234"), parsePrice("-1")]).toEqual([
      1250,
      1250,
      700,
      null,
      null,
    ]);
  });

  it("signs form tokens for one nonce and checks where a post comes from", () => {
    const key = Buffer.alloc(32, 7);
    const token = csrfToken(key, "nonce-1");
    expect(validCsrfToken(key, "nonce-1", token)).toBe(true);
    expect(validCsrfToken(key, "nonce-2", token)).toBe(false);
    expect(validCsrfToken(Buffer.alloc(32, 8), "nonce-1", token)).toBe(false);
    expect(validCsrfToken(key, undefined, token)).toBe(false);
    expect(validCsrfToken(key, "nonce-1", undefined)).toBe(false);

    expect(sameOrigin({ host: "shop.example", origin: "https://shop.example" })).toBe(true);
    expect(sameOrigin({ host: "shop.example", origin: "https://evil.example" })).toBe(false);
    expect(sameOrigin({ host: "shop.example", origin: "null" })).toBe(false);
    expect(sameOrigin({ host: "shop.example", secFetchSite: "cross-site" })).toBe(false);
    expect(sameOrigin({ host: "shop.example", referer: "https://evil.example/x" })).toBe(false);
    expect(sameOrigin({ host: "shop.example", referer: "https://shop.example/cart" })).toBe(true);
  });

  it("writes HttpOnly SameSite cookies, Secure away from localhost", () => {
    expect(serializeCookie("s", "a b", { secure: true })).toBe("s=a%20b; Path=/; HttpOnly; SameSite=Lax; Secure");
    expect(serializeCookie("s", "", { secure: false, maxAge: 0, path: "/checkout", sameSite: "Strict" })).toBe(
      "s=; Path=/checkout; HttpOnly; SameSite=Strict; Max-Age=0",
    );
    expect(parseCookies("a=1; b=x%20y; a=2; bad=%E0%A4%A")).toEqual({ a: "1", b: "x y" });
    expect(["localhost:3000", "127.0.0.1", "[::1]:80", "shop.example", undefined].map(isLocalHost)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it("reads the card form and words every checkout failure, saying when a new attempt is needed", () => {
    const now = new Date("2026-06-01T00:00:00Z");
    expect(parseCard({ cardNumber: "4242 4242 4242 4242", cardExpiry: "12/30", cardCvc: "123" }, now)).toEqual({
      ok: true,
      card: { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" },
    });
    const bad = parseCard({ cardNumber: "42", cardExpiry: "13/30", cardCvc: "1" }, now);
    expect(bad.ok ? [] : bad.errors).toHaveLength(3);
    // Long expired and expired last month say the same, as the API's CARD_EXPIRED does for both.
    const expiry = (cardExpiry: string) => {
      const r = parseCard({ cardNumber: "4242424242424242", cardExpiry, cardCvc: "123" }, now);
      return r.ok ? "ok" : r.errors.join(" ");
    };
    expect(["12/20", "05/26", "06/26", "12/56", "12/57"].map(expiry)).toEqual([
      "The card has expired.",
      "The card has expired.",
      "ok",
      "ok",
      "The expiry year is not plausible.",
    ]);

    const order = { id: "o1" };
    expect(checkoutOutcome({ code: 402, message: "Card declined", data: { order } }, 5)).toMatchObject({
      kind: "failed",
      status: 402,
      order,
    });
    expect(checkoutOutcome({ code: 409, type: "OUT_OF_STOCK", data: { order } }, 5)).toMatchObject({ kind: "failed" });
    expect(checkoutOutcome({ code: 409, type: "CHECKOUT_IN_PROGRESS" }, 5)).toMatchObject({ kind: "retry" });
    expect(checkoutOutcome({ code: 422, type: "CART_EMPTY" }, 5)).toEqual({ kind: "empty-cart" });
    expect(checkoutOutcome({ code: 422, type: "INVALID_CARD", message: "bad" }, 5)).toMatchObject({ kind: "retry" });
    expect(checkoutOutcome({ code: 503, data: { order, retryAfter: 7 } }, 5)).toMatchObject({
      kind: "failed",
      retryAfterS: 7,
      message: expect.stringMatching(/nothing was charged.*try again in 7 s/),
    });
    expect(checkoutOutcome({ name: "ServiceNotFoundError", code: 404 }, 5)).toMatchObject({
      kind: "retry",
      status: 503,
    });
  });

  it("tells a missing service from a missing page, and never redirects off the site", () => {
    expect(classifyFailure({ name: "ServiceNotFoundError", code: 404 }, 5)).toEqual({
      kind: "unavailable",
      retryAfterS: 5,
    });
    expect(classifyFailure({ name: "NotFoundError", code: 404 }, 5)).toEqual({ kind: "not-found" });
    expect(classifyFailure({ code: 401 }, 5)).toEqual({ kind: "login" });
    expect(classifyFailure(new Error("boom"), 5)).toEqual({ kind: "server-error" });
    expect(["/cart", "//evil.example", "https://evil.example", "/\\evil", undefined].map(safeNext)).toEqual([
      "/cart",
      "/",
      "/",
      "/",
      "/",
    ]);
  });

  it("turns the admin's product form into catalog input", () => {
    expect(
      parseProductForm({
        sku: "P-1",
        name: " Pot ",
        category: "Kitchen",
        price: "39.5",
        currency: "eur",
        tags: "a, b,",
      }),
    ).toEqual({
      ok: true,
      product: {
        sku: "P-1",
        name: "Pot",
        category: "kitchen",
        priceCents: 3950,
        currency: "EUR",
        tags: ["a", "b"],
        description: "",
      },
    });
    const bad = parseProductForm({ sku: "-", name: "", category: "", price: "x", currency: "E" });
    expect(bad.ok ? [] : bad.errors).toHaveLength(5);
  });
});
