import { idRule } from "../platform/core/ids";
import { countRule, currencyRule, pageOf, timestampRule } from "./common";
import {
  action,
  allOptional,
  contract,
  type GatewayCache,
  type InferParams,
  type RuleType,
} from "../platform/contracts/define";
import { MAX_RECOMMENDATIONS } from "./recommendations";

export const productSchema = {
  type: "object",
  strict: true,
  props: {
    id: idRule,
    sku: { type: "string", min: 1 },
    name: { type: "string" },
    description: { type: "string" },
    /** Price in the currency's minor unit (cents); an integer, never a float. */
    priceCents: countRule,
    currency: currencyRule,
    category: { type: "string" },
    tags: { type: "array", items: { type: "string" } },
    imageUrl: { type: "string", optional: true },
    active: { type: "boolean" },
    createdAt: timestampRule,
    updatedAt: timestampRule,
    /**
     * Units available to buy, from inventory; set on every catalog.list/get
     * result. `null` when inventory cannot be reached (unknown, not sold out),
     * with the reason in `availableReason`.
     */
    available: { type: "number", integer: true, optional: true, nullable: true },
    /** Why `available` is null; absent otherwise. */
    availableReason: { type: "string", optional: true },
  },
} as const;
export type Product = RuleType<typeof productSchema>;

export const PRODUCT_SORTS = ["name", "-name", "priceCents", "-priceCents", "createdAt", "-createdAt"] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
export const MAX_PRODUCT_PAGE_SIZE = 100;

/*
 * Params schemas (fastest-validator). Query strings arrive as text, so
 * numbers are converted; objects where text is expected (operator injection
 * such as category[$ne]=x) fail validation. `$$strict: "remove"` drops fields
 * no schema names; `$$strict: true` refuses them.
 */

const listParams = {
  $$strict: "remove",
  page: { type: "number", integer: true, min: 1, max: 10_000, convert: true, optional: true },
  pageSize: { type: "number", integer: true, min: 1, max: MAX_PRODUCT_PAGE_SIZE, convert: true, optional: true },
  sort: { type: "enum", values: PRODUCT_SORTS, optional: true },
  category: { type: "string", min: 1, max: 64, trim: true, optional: true },
  q: { type: "string", max: 100, optional: true },
} as const;

const productFields = {
  sku: { type: "string", min: 2, max: 32, trim: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/ },
  name: { type: "string", min: 1, max: 200, trim: true },
  description: { type: "string", max: 5000, optional: true },
  priceCents: { type: "number", integer: true, min: 0, max: 100_000_000, convert: true },
  currency: { type: "string", length: 3, pattern: /^[A-Za-z]{3}$/ },
  category: { type: "string", min: 1, max: 64, trim: true },
  tags: { type: "array", items: { type: "string", min: 1, max: 32 }, max: 20, optional: true },
  imageUrl: { type: "url", max: 2048, optional: true },
  active: { type: "boolean", convert: true, optional: true },
} as const;

const byId = { $$strict: "remove", id: idRule } as const;

/*
 * Reads show stock from inventory when it answers and `available: null` when
 * it does not; writes need nothing but the catalog's own store. A gateway
 * keeps the reads it answered (platform/gateway/read-cache.ts) until the
 * catalog's store cleans its cache or inventory says a product's stock
 * changed, and never keeps one whose stock is unknown; a write through that
 * gateway clears them at once.
 */
const gatewayCache: GatewayCache = {
  clearOn: ["cache.clean.catalog"],
  dropOn: { "inventory.changed": "productIds" },
  keepsOnlyWith: "available",
};
const cachedRead = { dependsOn: { inventory: "optional" }, cache: gatewayCache } as const;
const write = { dependsOn: {}, invalidates: "all" } as const;
const skuTaken = { 409: "A product with this sku exists" } as const;

export const catalogContract = contract(
  "catalog",
  {
    list: action(listParams, pageOf(productSchema), cachedRead),
    get: action(byId, productSchema, cachedRead),
    create: action({ $$strict: true, ...productFields }, productSchema, { ...write, errors: skuTaken }),
    update: action({ $$strict: true, id: idRule, ...allOptional(productFields) }, productSchema, {
      ...write,
      errors: skuTaken,
    }),
    remove: action({ $$strict: true, id: idRule }, productSchema, write),
    /**
     * GET /products/:id/recommendations (public): products bought together with
     * it, from the Go recommendations service; `rows: []` while none runs.
     */
    recommended: action(
      {
        $$strict: "remove",
        id: idRule,
        limit: { type: "number", integer: true, min: 1, max: MAX_RECOMMENDATIONS, convert: true, optional: true },
      },
      { type: "object", strict: true, props: { rows: { type: "array", items: productSchema } } },
      { dependsOn: { recommendations: "optional", inventory: "optional" } },
    ),
  },
  { dependsOn: { recommendations: "optional" } },
);

export type ListProductsParams = InferParams<typeof listParams>;
export type NewProduct = InferParams<typeof catalogContract.actions.create.params>;
export type ProductPatch = Omit<InferParams<typeof catalogContract.actions.update.params>, "id">;

export interface CatalogEvents {
  "catalog.product.created": Product;
}
