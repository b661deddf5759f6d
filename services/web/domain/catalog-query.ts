import { PRODUCT_SORTS, type ListProductsParams, type ProductSort } from "../../../contracts";

/** Products per catalog page. */
export const CATALOG_PAGE_SIZE = 12;

export const SORT_LABELS: Record<ProductSort, string> = {
  name: "Name, A to Z",
  "-name": "Name, Z to A",
  priceCents: "Price, low to high",
  "-priceCents": "Price, high to low",
  createdAt: "Oldest first",
  "-createdAt": "Newest first",
};

/** The catalog's state as the URL carries it: `/?q=mug&category=kitchen&sort=-priceCents&page=2`. */
export interface CatalogQuery {
  q: string;
  category: string;
  sort: ProductSort;
  page: number;
}

export const DEFAULT_SORT: ProductSort = "name";

/**
 * Whatever the address bar holds becomes a valid query: an unknown sort or a
 * page that is not a number falls back to the default instead of an error
 * page, because people edit URLs and follow old links.
 */
export function parseCatalogQuery(raw: { q?: string; category?: string; sort?: string; page?: string }): CatalogQuery {
  const sort = (PRODUCT_SORTS as readonly string[]).includes(raw.sort ?? "") ? (raw.sort as ProductSort) : DEFAULT_SORT;
  const page = Number(raw.page);
  return {
    q: (raw.q ?? "").trim().slice(0, 100),
    category: (raw.category ?? "").trim().slice(0, 64),
    sort,
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

export function listParams(query: CatalogQuery): ListProductsParams {
  return {
    page: query.page,
    pageSize: CATALOG_PAGE_SIZE,
    sort: query.sort,
    ...(query.q ? { q: query.q } : {}),
    ...(query.category ? { category: query.category } : {}),
  };
}

/** The catalog URL for a query; defaults are left out so URLs stay short and shareable. */
export function catalogUrl(query: CatalogQuery, change: Partial<CatalogQuery> = {}): string {
  const next = { ...query, ...change };
  const search = new URLSearchParams();
  if (next.q) search.set("q", next.q);
  if (next.category) search.set("category", next.category);
  if (next.sort !== DEFAULT_SORT) search.set("sort", next.sort);
  if (next.page > 1) search.set("page", String(next.page));
  const text = search.toString();
  return text ? `/?${text}` : "/";
}
