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

/** What `recommendations.forProduct` answers (the Go service, services/recommendations). */
interface RecommendationsAnswer {
  productId: string;
  productIds: string[];
}

/**
 * Recommendations are optional: any failure (no recommendations node, a slow
 * one, an error) hides the slot instead of failing or slowing the page.
 * The answer names products; the catalog supplies them, and any it cannot
 * (removed, off sale) are left out.
 */
async function recommendationsFor(ctx: Context, productId: string): Promise<Product[] | null> {
  try {
    const answer = await ctx.call<RecommendationsAnswer, { productId: string; limit: number }>(
      "recommendations.forProduct",
      { productId, limit: 4 },
      { timeout: RECOMMENDATIONS_TIMEOUT_MS, retries: 0 },
    );
    const ids = (Array.isArray(answer?.productIds) ? answer.productIds : []).filter((id) => id !== productId);
    const products = await Promise.all(ids.slice(0, 4).map((id) => call(ctx, "catalog.get", { id }).catch(() => null)));
    return products.filter((p): p is Product => p !== null && p.active);
  } catch {
    return null;
  }
}
