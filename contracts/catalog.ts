import type { Currency, Page } from "./common";

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  /** Price in the currency's minor unit (cents); an integer, never a float. */
  priceCents: number;
  currency: Currency;
  category: string;
  tags: string[];
  imageUrl?: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  /** Units available to buy, from inventory; set on every catalog.list/get result (0 without inventory). */
  available?: number;
}

export const PRODUCT_SORTS = ["name", "-name", "priceCents", "-priceCents", "createdAt", "-createdAt"] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export interface ListProductsParams {
  page?: number;
  pageSize?: number;
  sort?: ProductSort;
  category?: string;
  q?: string;
}

export type NewProduct = Omit<
  Product,
  "id" | "createdAt" | "updatedAt" | "active" | "tags" | "description" | "available"
> & {
  description?: string;
  tags?: string[];
  active?: boolean;
};

export type ProductPatch = Partial<NewProduct>;

export interface CatalogActions {
  "catalog.list": { params: ListProductsParams; result: Page<Product> };
  "catalog.get": { params: { id: string }; result: Product };
  "catalog.create": { params: NewProduct; result: Product };
  "catalog.update": { params: ProductPatch & { id: string }; result: Product };
  "catalog.remove": { params: { id: string }; result: Product };
}

export interface CatalogEvents {
  "catalog.product.created": Product;
  "catalog.product.updated": Product;
  "catalog.product.removed": Product;
}
