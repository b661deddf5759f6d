import { MAX_PRODUCT_PAGE_SIZE, type ListProductsParams, type ProductSort } from "../../../contracts";
import { normalizeCategory } from "./product";

/** Which products a listing shows and in what window: the store query and paging, free of any store. */

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
