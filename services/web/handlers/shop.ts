import type { Context } from "moleculer";
import { call, type Product } from "../../../contracts";
import { listParams, parseCatalogQuery } from "../domain/catalog-query";
import { catalogView } from "../pages/catalog";
import { productView } from "../pages/product";
import { notFoundView } from "../pages/errors";
import { notFoundIfInvalid, type Reply, type WebRequest } from "../request";

type CatalogParams = { q?: string; category?: string; sort?: string; page?: string };

export async function catalogPage(req: WebRequest<CatalogParams>): Promise<Reply> {
  const query = parseCatalogQuery(req.params);
  const [page, categories] = await Promise.all([
    call(req.ctx, "catalog.list", listParams(query)),
    categoriesOf(req.ctx),
  ]);
  return { view: catalogView(query, page, categories) };
}

let categoryCache: { at: number; list: string[] } | null = null;
const CATEGORY_TTL_MS = 60_000;

/**
 * The category filter's choices, from the first 100 products by name and
 * kept a minute (the catalog has no category list of its own). Without an
 * answer the filter just offers "All".
 */
async function categoriesOf(ctx: Context): Promise<string[]> {
  if (categoryCache && Date.now() - categoryCache.at < CATEGORY_TTL_MS) return categoryCache.list;
  try {
    const page = await call(ctx, "catalog.list", { pageSize: 100, sort: "name" });
    const list = [...new Set(page.rows.map((p) => p.category))].sort();
    categoryCache = { at: Date.now(), list };
    return list;
  } catch {
    return categoryCache?.list ?? [];
  }
}

/** How long the product page waits for "customers also bought" before showing the page without it. */
export const RECOMMENDATIONS_TIMEOUT_MS = 500;

export async function productPage(req: WebRequest<{ id: string; added?: string }>): Promise<Reply> {
  const [product, recommendations] = await Promise.all([
    call(req.ctx, "catalog.get", { id: req.params.id }).catch(notFoundIfInvalid),
    recommendationsFor(req.ctx, req.params.id),
  ]);
  // A product taken off sale is gone for shoppers; admins still reach it from their pages.
  if (!product.active) return { view: notFoundView() };
  const added = Number(req.params.added);
  const notice = Number.isInteger(added) && added > 0 ? `Added ${added} × ${product.name} to your cart.` : undefined;
  return { view: productView(req.chrome, product, recommendations, notice) };
}

/**
 * Recommendations are optional: any failure (a slow catalog or
 * recommendations node, an error) hides the slot instead of failing or
 * slowing the page. The catalog answers the products ("customers also
 * bought"), leaving out any it cannot supply (removed, off sale), and
 * `rows: []` while no recommendations node runs.
 */
async function recommendationsFor(ctx: Context, productId: string): Promise<Product[] | null> {
  try {
    const { rows } = await call(
      ctx,
      "catalog.recommended",
      { id: productId, limit: 4 },
      { timeout: RECOMMENDATIONS_TIMEOUT_MS, retries: 0 },
    );
    return rows.filter((p) => p.id !== productId && p.active).slice(0, 4);
  } catch {
    return null;
  }
}
