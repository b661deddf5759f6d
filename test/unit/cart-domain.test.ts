import type { Product } from "../../contracts";
import {
  assertCanHold,
  assertRoomForLine,
  cartTotal,
  cartView,
  currencyConflict,
  MAX_LINES,
} from "../../services/cart/domain/cart";
import { cartOwner } from "../../services/cart/domain/owner";

const product = (id: string, fields: Partial<Product> = {}): Product => ({
  id,
  sku: id.toUpperCase(),
  name: `Product ${id}`,
  description: "",
  priceCents: 1000,
  currency: "EUR",
  category: "test",
  tags: [],
  active: true,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  ...fields,
});

describe("cart rules", () => {
  it("totals are quantity × unit price, in integer cents", () => {
    expect(cartTotal([])).toBe(0);
    expect(
      cartTotal([
        { quantity: 3, unitPriceCents: 1999 },
        { quantity: 99, unitPriceCents: 1 },
      ]),
    ).toBe(5997 + 99);
  });

  it("shows lines in the order they were added, with current names and prices", () => {
    const lines = {
      b: { quantity: 1, addedAt: "2026-01-02T00:00:00.000Z" },
      a: { quantity: 2, addedAt: "2026-01-01T00:00:00.000Z" },
    };
    const products = new Map([
      ["a", product("a", { priceCents: 250 })],
      ["b", product("b", { name: "Renamed", priceCents: 1000 })],
    ]);
    expect(cartView(lines, products, "EUR")).toEqual({
      items: [
        { productId: "a", name: "Product a", quantity: 2, unitPriceCents: 250 },
        { productId: "b", name: "Renamed", quantity: 1, unitPriceCents: 1000 },
      ],
      totalCents: 1500,
      currency: "EUR",
    });
  });

  it("drops products that are gone or inactive; an empty cart has the default currency", () => {
    const lines = {
      gone: { quantity: 1, addedAt: "2026-01-01T00:00:00.000Z" },
      off: { quantity: 1, addedAt: "2026-01-01T00:00:00.000Z" },
    };
    const products = new Map([["off", product("off", { active: false, currency: "USD" })]]);
    expect(cartView(lines, products, "CHF")).toEqual({ items: [], totalCents: 0, currency: "CHF" });
  });

  it("takes the currency from the products and refuses a second currency", () => {
    const products = new Map([["a", product("a", { currency: "USD" })]]);
    const cart = cartView({ a: { quantity: 1, addedAt: "x" } }, products, "EUR");
    expect(cart.currency).toBe("USD");
    expect(currencyConflict(cart, { id: "b", currency: "EUR" })).toBe("USD");
    expect(currencyConflict(cart, { id: "b", currency: "USD" })).toBeNull();
    // Replacing the only line is not a conflict.
    expect(currencyConflict(cart, { id: "a", currency: "EUR" })).toBeNull();
  });

  it("holds only products for sale, in the cart's currency", () => {
    const cart = cartView({ a: { quantity: 1, addedAt: "x" } }, new Map([["a", product("a")]]), "EUR");
    expect(() => assertCanHold(cart, product("b"))).not.toThrow();
    expect(() => assertCanHold(cart, product("b", { active: false }))).toThrow(
      expect.objectContaining({ code: 422, type: "PRODUCT_INACTIVE" }),
    );
    expect(() => assertCanHold(cart, product("b", { currency: "USD" }))).toThrow(
      expect.objectContaining({ code: 422, type: "CURRENCY_MISMATCH", message: expect.stringContaining("EUR") }),
    );
  });

  it("refuses a new line once the cart holds MAX_LINES products", () => {
    const lines = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { quantity: 1, addedAt: "x" }]));
    expect(() => assertRoomForLine(lines(MAX_LINES - 1))).not.toThrow();
    expect(() => assertRoomForLine(lines(MAX_LINES))).toThrow(
      expect.objectContaining({ code: 422, type: "CART_FULL" }),
    );
  });

  it("acts on the caller's own cart and refuses a request without a valid caller", () => {
    const id = "0123456789abcdef01234567";
    expect(cartOwner({ id, email: "a@b.c", role: "customer" })).toBe(id);
    for (const user of [undefined, null, { id: "../x", email: "a@b.c", role: "customer" as const }]) {
      expect(() => cartOwner(user)).toThrow(expect.objectContaining({ code: 401, type: "UNAUTHORIZED" }));
    }
  });
});
