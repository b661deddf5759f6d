import { newId } from "../../../platform/core/ids";
import type { NewProduct, Product, ProductPatch } from "../../../contracts";

/** What a product is made of: normalized text, defaults, ids and timestamps, free of any store. */

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
