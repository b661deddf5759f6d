import { MatchersV3 as M } from "@pact-foundation/pact";
import type { Page, Product } from "../../../../contracts";
import { consumerPact, expectAction } from "../../pact";
import { CONTRACT_IDS } from "../../states";
import { ADMIN, productMatcher, Storefront } from "./storefront";

/** What the storefront's pages need from the catalog: the real pages render each answer. */
describe("web → catalog", () => {
  const pact = consumerPact("web", "catalog");
  const shop = new Storefront();
  beforeAll(() => shop.start());
  afterAll(() => shop.stop());
  beforeEach(() => shop.reset());

  const categoriesParams = { pageSize: 100, sort: "name" };
  const isCategories = (p: Record<string, unknown>) => p.pageSize === 100;

  // First: the page keeps the category list a minute, so later pages do not ask again.
  it("catalog.list: the category filter's choices", () =>
    expectAction<Page<Product>>(
      pact,
      {
        state: "the demo catalog is seeded",
        description: "catalog.list answers the products the storefront takes its categories from",
        action: "catalog.list",
        params: categoriesParams,
        answer: { result: { rows: M.eachLike({ category: M.like("kitchen") }) } },
      },
      async (a) => {
        shop.answer("catalog.list", a, isCategories);
        const page = await shop.request("web.catalog", {});
        expect(shop.calls("catalog.list").map((c) => c.params)).toContainEqual(categoriesParams);
        expect(page.body).toContain('<option value="kitchen"');
      },
    ));

  it("catalog.list: a page of the catalog", () =>
    expectAction<Page<Product>>(
      pact,
      {
        state: "the demo catalog is seeded",
        description: "catalog.list answers the first page of products by name",
        action: "catalog.list",
        params: { page: 1, pageSize: 12, sort: "name" },
        answer: {
          result: {
            rows: M.eachLike(productMatcher),
            total: M.integer(12),
            page: 1,
            pageSize: 12,
            totalPages: M.integer(1),
          },
        },
      },
      async (a) => {
        shop.answer("catalog.list", a, (p) => !isCategories(p));
        const page = await shop.request("web.catalog", {});
        expect(shop.calls("catalog.list").map((c) => c.params)).toContainEqual({ page: 1, pageSize: 12, sort: "name" });
        expect(page.status).toBe(200);
        expect(page.body).toContain(`data-product-id="${CONTRACT_IDS.product}"`);
        expect(page.body).toContain("Stoneware Mug");
      },
    ));

  it("catalog.get: the product page", () =>
    expectAction<Product>(
      pact,
      {
        state: "the demo catalog is seeded",
        description: "catalog.get answers the contract product for its page",
        action: "catalog.get",
        params: { id: CONTRACT_IDS.product },
        answer: { result: productMatcher },
      },
      async (a) => {
        shop.answer("catalog.get", a);
        const page = await shop.request("web.product", { id: CONTRACT_IDS.product });
        expect(shop.calls("catalog.get").map((c) => c.params)).toEqual([{ id: CONTRACT_IDS.product }]);
        expect(page.status).toBe(200);
        expect(page.body).toContain("<h1>Stoneware Mug</h1>");
        expect(page.body).toContain('data-testid="price"');
      },
    ));

  it("catalog.get: 404 for an unknown product (the page says not found)", () =>
    expectAction<Product>(
      pact,
      {
        state: "the demo catalog is seeded",
        description: "catalog.get answers 404 for an unknown product page",
        action: "catalog.get",
        params: { id: CONTRACT_IDS.unknownProduct },
        answer: { error: { name: M.like("NotFoundError"), code: 404, type: "NOT_FOUND" } },
      },
      async (a) => {
        shop.answer("catalog.get", a);
        const page = await shop.request("web.product", { id: CONTRACT_IDS.unknownProduct });
        expect(page.status).toBe(404);
      },
    ));

  it("catalog.recommended: the products bought together with one", () =>
    expectAction<{ rows: Product[] }>(
      pact,
      {
        state: "the demo catalog is seeded and a recommendations node answers",
        description: "catalog.recommended answers the products bought with the contract product",
        action: "catalog.recommended",
        params: { id: CONTRACT_IDS.product, limit: 4 },
        answer: { result: { rows: M.eachLike({ ...productMatcher, id: M.like(CONTRACT_IDS.otherProduct) }) } },
      },
      async (a) => {
        shop.answer("catalog.recommended", a);
        shop.answer("catalog.get", {
          result: { ...fixedProduct, id: CONTRACT_IDS.product, name: "Stoneware Mug" },
        });
        const page = await shop.request("web.product", { id: CONTRACT_IDS.product });
        expect(shop.calls("catalog.recommended").map((c) => c.params)).toEqual([
          { id: CONTRACT_IDS.product, limit: 4 },
        ]);
        expect(page.body).toContain('data-testid="recommendations"');
        expect(page.body).toContain(`data-product-id="${CONTRACT_IDS.otherProduct}"`);
      },
    ));

  const newProduct = {
    sku: "PACT-WEB-1",
    name: "Pact Vase",
    description: "Made for the contract.",
    priceCents: 2500,
    currency: "EUR",
    category: "home",
    tags: ["vase"],
  };

  /** The admin's form for a product: the price as typed, tags comma-separated. */
  const form = ({ priceCents, tags, ...fields }: typeof newProduct) => ({
    ...fields,
    price: (priceCents / 100).toFixed(2),
    tags: tags.join(", "),
  });

  it("catalog.create: the admin's new product", () =>
    expectAction<Product>(
      pact,
      {
        state: "the demo catalog is seeded",
        description: "catalog.create stores the admin's new product",
        action: "catalog.create",
        params: newProduct,
        meta: { user: ADMIN },
        answer: { result: { id: M.like(CONTRACT_IDS.otherProduct) } },
      },
      async (a) => {
        shop.signedIn = ADMIN;
        shop.answer("catalog.create", a);
        const reply = await shop.request("web.adminCreateProduct", form(newProduct), { post: true });
        const [asked] = shop.calls("catalog.create");
        expect(asked.params).toEqual(newProduct);
        expect(asked.meta.user).toEqual(ADMIN);
        // The page then asks catalog.get whether the product has stock yet; unanswered here, it asks to set it.
        expect(reply.location).toBe("/admin/products?notice=created-unstocked");
      },
    ));

  it("catalog.create: 409 for a SKU that is taken (the form says so)", () =>
    expectAction<Product>(
      pact,
      {
        state: "the demo catalog is seeded",
        description: "catalog.create answers 409 for a taken SKU",
        action: "catalog.create",
        params: { ...newProduct, sku: "MUG-001" },
        meta: { user: ADMIN },
        answer: { error: { name: M.like("ConflictError"), code: 409, type: M.like("CONFLICT") } },
      },
      async (a) => {
        shop.signedIn = ADMIN;
        shop.answer("catalog.create", a);
        const reply = await shop.request("web.adminCreateProduct", form({ ...newProduct, sku: "MUG-001" }), {
          post: true,
        });
        expect(reply.status).toBe(409);
        expect(reply.body).toContain("Another product has this SKU.");
      },
    ));

  it("catalog.update: the admin's changes and taking a product off sale", () =>
    expectAction<Product>(
      pact,
      {
        state: "the demo catalog is seeded",
        description: "catalog.update takes the contract product off sale",
        action: "catalog.update",
        params: { id: CONTRACT_IDS.product, active: false },
        meta: { user: ADMIN },
        answer: { result: { id: CONTRACT_IDS.product, active: M.boolean(false) } },
      },
      async (a) => {
        shop.signedIn = ADMIN;
        shop.answer("catalog.update", a);
        const reply = await shop.request("web.adminDeactivateProduct", { id: CONTRACT_IDS.product }, { post: true });
        expect(shop.calls("catalog.update").map((c) => c.params)).toEqual([
          { id: CONTRACT_IDS.product, active: false },
        ]);
        expect(reply.location).toBe("/admin/products?notice=deactivated");
      },
    ));
});

/** A product the page needs besides the one under test (not part of any interaction). */
const fixedProduct: Product = {
  id: CONTRACT_IDS.product,
  sku: "MUG-001",
  name: "Stoneware Mug",
  description: "A heavy stoneware mug.",
  priceCents: 1400,
  currency: "EUR",
  category: "kitchen",
  tags: ["mug"],
  active: true,
  available: 5,
  createdAt: "2030-01-01T00:00:00.000Z",
  updatedAt: "2030-01-01T00:00:00.000Z",
};
