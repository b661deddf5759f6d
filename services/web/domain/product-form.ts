import type { NewProduct, Product, ProductPatch } from "../../../contracts";
import { parsePrice } from "./money";

export interface ProductFormFields {
  sku?: string;
  name?: string;
  description?: string;
  price?: string;
  currency?: string;
  category?: string;
  tags?: string;
}

export type ProductFormResult = { ok: true; product: NewProduct } | { ok: false; errors: string[] };

/** The admin's product form as the catalog's create/update input; the catalog still validates it. */
export function parseProductForm(form: ProductFormFields): ProductFormResult {
  const errors: string[] = [];
  const sku = (form.sku ?? "").trim();
  const name = (form.name ?? "").trim();
  const category = (form.category ?? "").trim().toLowerCase();
  const currency = (form.currency ?? "").trim().toUpperCase() || "EUR";
  const priceCents = parsePrice(form.price ?? "");
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$/.test(sku))
    errors.push("The SKU needs 2 to 32 letters, digits, - or _, starting with a letter or digit.");
  if (!name || name.length > 200) errors.push("Enter a name (up to 200 characters).");
  if (!category || category.length > 64) errors.push("Enter a category (up to 64 characters).");
  if (priceCents === null) errors.push("Enter the price as a number, for example 12.50.");
  if (!/^[A-Z]{3}$/.test(currency)) errors.push("The currency is a 3-letter code such as EUR.");
  const tags = (form.tags ?? "")
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  if (tags.length > 20 || tags.some((t) => t.length > 32)) errors.push("Up to 20 tags of at most 32 characters.");
  const description = (form.description ?? "").trim();
  if (description.length > 5000) errors.push("The description is limited to 5000 characters.");
  if (errors.length || priceCents === null) return { ok: false, errors };
  return { ok: true, product: { sku, name, category, currency, priceCents, tags, description } };
}

/** Only what changed, so an edit never rewrites fields the admin did not touch. */
export function productPatch(before: Product, after: NewProduct): ProductPatch {
  const patch: ProductPatch = {};
  if (after.sku !== before.sku) patch.sku = after.sku;
  if (after.name !== before.name) patch.name = after.name;
  if ((after.description ?? "") !== before.description) patch.description = after.description;
  if (after.priceCents !== before.priceCents) patch.priceCents = after.priceCents;
  if (after.currency !== before.currency) patch.currency = after.currency;
  if (after.category !== before.category) patch.category = after.category;
  if ((after.tags ?? []).join(",") !== before.tags.join(",")) patch.tags = after.tags;
  return patch;
}
