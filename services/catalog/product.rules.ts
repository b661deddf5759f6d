import { newId } from "../../platform/core/ids";
import {
  MAX_PRODUCT_PAGE_SIZE,
  type ListProductsParams,
  type NewProduct,
  type Product,
  type ProductPatch,
  type ProductSort,
} from "../../contracts";

/** Business rules of the catalog, free of Moleculer so tests can call them directly. */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = MAX_PRODUCT_PAGE_SIZE;

const DEFAULT_SORT: ProductSort = "name";

/** Escapes user text so it is matched literally, never as a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The store query for a product listing. Only active products are listed;
 * `q` matches name or description, case-insensitively and literally.
 */
export function listQuery(params: Pick<ListProductsParams, "category" | "q">): Record<string, unknown> {
  const query: Record<string, unknown> = { active: true };
  if (params.category) query.category = normalizeCategory(params.category);
  const q = params.q?.trim();
  if (q) {
    const pattern = new RegExp(escapeRegExp(q), "i");
    query.$or = [{ name: { $regex: pattern } }, { description: { $regex: pattern } }];
  }
  return query;
}

export interface PageWindow {
  page: number;
  pageSize: number;
  offset: number;
  limit: number;
  sort: ProductSort;
}

export function pageWindow(params: Pick<ListProductsParams, "page" | "pageSize" | "sort">): PageWindow {
  const page = params.page ?? 1;
  const pageSize = Math.min(params.pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  return { page, pageSize, offset: (page - 1) * pageSize, limit: pageSize, sort: params.sort ?? DEFAULT_SORT };
}

export function totalPages(total: number, pageSize: number): number {
  return Math.ceil(total / pageSize);
}

export function normalizeSku(sku: string): string {
  return sku.trim().toUpperCase();
}

export function normalizeCategory(category: string): string {
  return category.trim().toLowerCase();
}

export function normalizeTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

/** A complete product from validated input: ids, timestamps and defaults filled, text normalized. */
export function newProduct(input: NewProduct, now: Date = new Date()): Product {
  const timestamp = now.toISOString();
  const product: Product = {
    id: newId(now),
    sku: normalizeSku(input.sku),
    name: input.name.trim(),
    description: (input.description ?? "").trim(),
    priceCents: input.priceCents,
    currency: input.currency.toUpperCase(),
    category: normalizeCategory(input.category),
    tags: normalizeTags(input.tags),
    active: input.active ?? true,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  if (input.imageUrl) product.imageUrl = input.imageUrl;
  return product;
}

/** The fields to set for a patch: normalized like a new product, with a new updatedAt. */
export function productChanges(patch: ProductPatch, now: Date = new Date()): Partial<Product> {
  const changes: Partial<Product> = { updatedAt: now.toISOString() };
  if (patch.sku !== undefined) changes.sku = normalizeSku(patch.sku);
  if (patch.name !== undefined) changes.name = patch.name.trim();
  if (patch.description !== undefined) changes.description = patch.description.trim();
  if (patch.priceCents !== undefined) changes.priceCents = patch.priceCents;
  if (patch.currency !== undefined) changes.currency = patch.currency.toUpperCase();
  if (patch.category !== undefined) changes.category = normalizeCategory(patch.category);
  if (patch.tags !== undefined) changes.tags = normalizeTags(patch.tags);
  if (patch.imageUrl !== undefined) changes.imageUrl = patch.imageUrl;
  if (patch.active !== undefined) changes.active = patch.active;
  return changes;
}
