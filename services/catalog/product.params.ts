import { PRODUCT_SORTS } from "../../contracts";
import { idRule } from "../../lib/ids";
import { MAX_PAGE_SIZE } from "./product.rules";

/**
 * fastest-validator schemas for the catalog's actions. Query strings arrive as
 * text, so numbers are converted; objects where text is expected (operator
 * injection such as category[$ne]=x) fail validation. `$$strict: "remove"`
 * drops fields no schema names.
 */

const id = idRule;

export const listParams = {
  $$strict: "remove",
  page: { type: "number", integer: true, min: 1, max: 10_000, convert: true, optional: true },
  pageSize: { type: "number", integer: true, min: 1, max: MAX_PAGE_SIZE, convert: true, optional: true },
  sort: { type: "enum", values: [...PRODUCT_SORTS], optional: true },
  category: { type: "string", min: 1, max: 64, trim: true, optional: true },
  q: { type: "string", max: 100, optional: true },
} as const;

export const getParams = { $$strict: "remove", id } as const;

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

export const createParams = { $$strict: true, ...productFields } as const;

export const updateParams = {
  $$strict: true,
  id,
  ...Object.fromEntries(Object.entries(productFields).map(([k, v]) => [k, { ...v, optional: true }])),
} as const;

export const removeParams = { $$strict: true, id } as const;
