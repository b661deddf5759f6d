import { escapeRegExp, listQuery, pageWindow, totalPages } from "../../services/catalog/domain/listing";
import { newProduct, productChanges } from "../../services/catalog/domain/product";
import { ID_PATTERN } from "../../platform/core/ids";

describe("catalog rules", () => {
  it("lists active products only, filtered by normalized category", () => {
    expect(listQuery({})).toEqual({ active: true });
    expect(listQuery({ category: " Kitchen " })).toEqual({ active: true, category: "kitchen" });
  });

  it("matches q literally and case-insensitively in name or description", () => {
    const query = listQuery({ q: "a.b*" }) as { $or: { name?: { $regex: RegExp } }[] };
    const pattern = query.$or[0].name!.$regex;
    expect(pattern.test("xA.B*y")).toBe(true);
    expect(pattern.test("axxb")).toBe(false);
    expect(query.$or).toHaveLength(2);
    expect(listQuery({ q: "   " })).toEqual({ active: true });
  });

  it("escapes every regular-expression metacharacter", () => {
    const special = ".*+?^${}()|[]\\";
    expect(new RegExp(escapeRegExp(special)).test(special)).toBe(true);
  });

  it("computes the page window with defaults and a ceiling", () => {
    expect(pageWindow({})).toEqual({ page: 1, pageSize: 20, offset: 0, limit: 20, sort: "name" });
    expect(pageWindow({ page: 3, pageSize: 10, sort: "-priceCents" })).toMatchObject({ offset: 20, limit: 10 });
    expect(pageWindow({ pageSize: 500 }).pageSize).toBe(100);
    expect(totalPages(0, 20)).toBe(0);
    expect(totalPages(21, 20)).toBe(2);
  });

  it("builds a normalized product with id and timestamps", () => {
    const now = new Date("2026-01-02T03:04:05Z");
    const p = newProduct(
      { sku: " ab-1 ", name: " Mug ", priceCents: 100, currency: "eur", category: "Kitchen", tags: ["A", "a", " b "] },
      now,
    );
    expect(p).toMatchObject({
      sku: "AB-1",
      name: "Mug",
      description: "",
      currency: "EUR",
      category: "kitchen",
      tags: ["a", "b"],
      active: true,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    expect(p.id).toMatch(ID_PATTERN);
    expect(p).not.toHaveProperty("imageUrl");
  });

  it("turns a patch into normalized changes with a new updatedAt", () => {
    const now = new Date("2026-02-01T00:00:00Z");
    expect(productChanges({ sku: "x-2", currency: "usd", active: false }, now)).toEqual({
      sku: "X-2",
      currency: "USD",
      active: false,
      updatedAt: now.toISOString(),
    });
  });
});
