import type { Product } from "../../contracts";
import type { DbMethods, IndexSpec } from "../../mixins/db.mixin";
import { ConflictError, isDuplicateKeyError } from "../../platform/core/errors";
import type { PageWindow } from "./domain/listing";

/** A product as stored: the product id is the document `_id` (a string, or an ObjectId on MongoDB). */
type ProductDoc = Omit<Product, "id" | "available"> & { _id: unknown };

/**
 * Every field the catalog's queries filter or sort by (test/store/service-indexes.test.ts
 * checks them against the queries): the sku lookup, the listing's filter and
 * every sort it offers. The listing's free-text `q` (a case-insensitive
 * regular expression over name and description) scans the filtered products:
 * no B-tree index serves it.
 */
export const productIndexes: IndexSpec[] = [
  { field: "sku", unique: true },
  { field: "active" },
  { field: "category" },
  { field: "name" },
  { field: "priceCents" },
  { field: "createdAt" },
];

const skuTaken = (sku: string | undefined) => new ConflictError("A product with this sku exists", { sku });

/**
 * The catalog's only data access: products over moleculer-db's adapter API.
 * A sku belongs to one product: checked before each write for a clear answer,
 * enforced by the unique index (prepareStore) when two writes race.
 */
export class ProductStore {
  // The mixin's adapter type: moleculer-db's typings declare `sort` a string, its adapters need an array.
  constructor(private readonly adapter: DbMethods["adapter"]) {}

  async page(query: Record<string, unknown>, window: PageWindow): Promise<{ products: Product[]; total: number }> {
    const [docs, total] = await Promise.all([
      this.adapter.find({ query, sort: [window.sort], offset: window.offset, limit: window.limit }),
      this.adapter.count({ query }),
    ]);
    return { products: (docs as ProductDoc[]).map(toProduct), total };
  }

  async get(id: string): Promise<Product | null> {
    const doc = (await this.adapter.findById(id)) as ProductDoc | null;
    return doc ? toProduct(doc) : null;
  }

  async insert(product: Product): Promise<Product> {
    await this.assertSkuFree(product.sku);
    const { id, ...fields } = product;
    return toProduct((await this.write(product.sku, () => this.adapter.insert({ _id: id, ...fields }))) as ProductDoc);
  }

  /** Sets `changes` on the product; null when there is no such product. */
  async update(id: string, changes: Partial<Product>): Promise<Product | null> {
    if (changes.sku) await this.assertSkuFree(changes.sku, id);
    const doc = (await this.write(changes.sku, () => this.adapter.updateById(id, { $set: changes }))) as ProductDoc;
    return doc ? toProduct(doc) : null;
  }

  async remove(id: string): Promise<void> {
    await this.adapter.removeById(id);
  }

  private async assertSkuFree(sku: string, exceptId?: string): Promise<void> {
    const [existing] = (await this.adapter.find({ query: { sku }, limit: 1 })) as ProductDoc[];
    if (existing && String(existing._id) !== exceptId) throw skuTaken(sku);
  }

  private async write(sku: string | undefined, op: () => Promise<unknown>): Promise<unknown> {
    try {
      return await op();
    } catch (err) {
      if (isDuplicateKeyError(err)) throw skuTaken(sku);
      throw err;
    }
  }
}

function toProduct({ _id, ...fields }: ProductDoc): Product {
  return { id: String(_id), ...fields };
}
