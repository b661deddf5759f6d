import type { Context } from "moleculer";
import {
  call,
  catalogContract,
  defineService,
  emit,
  type ListProductsParams,
  type Page,
  type ParamsOfDef,
  type Product,
} from "../../contracts";
import { dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { config } from "../../platform/config";
import { ConflictError, NotFoundError } from "../../platform/core/errors";
import { demoProductId, demoProducts } from "./demo-products";
import { listQuery, pageWindow, totalPages } from "./domain/listing";
import { newProduct, productChanges } from "./domain/product";
import { boughtTogether } from "./recommendations";
import { productIndexes, ProductStore } from "./store";

interface CatalogMethods {
  products: ProductStore;
  withAvailability(ctx: Context, products: Product[]): Promise<Product[]>;
  seedDB(): Promise<void>;
  findProduct(id: string): Promise<Product>;
  insertProduct(ctx: Context | null, product: Product): Promise<Product>;
}

const STOCK_UNKNOWN = "Stock is unknown right now: inventory is unavailable.";

/** The product catalog: what is for sale, at what price. Stock lives in inventory. */
export default defineService<DbMethods & CatalogMethods>()(catalogContract, {
  mixins: [dbMixin({ service: "catalog", collection: "products", indexes: productIndexes })],

  settings: {
    // REST paths are declared on each action, relative to the gateway's /api/v1.
    rest: "/",
  },

  actions: {
    // Product documents are cached; `available` is added after the cached
    // part (listPage/getProduct) on every read, so it is never stale.
    list: {
      rest: "GET /products",
      auth: "public",
      async handler(ctx) {
        const page = (await this.actions.listPage(ctx.params, { parentCtx: ctx })) as Page<Product>;
        return { ...page, rows: await this.withAvailability(ctx, page.rows) };
      },
    },

    get: {
      rest: "GET /products/:id",
      auth: "public",
      async handler(ctx) {
        const product = (await this.actions.getProduct(ctx.params, { parentCtx: ctx })) as Product;
        return (await this.withAvailability(ctx, [product]))[0];
      },
    },

    // Mutations: admins over REST, other services and the REPL directly.
    create: {
      rest: "POST /products",
      auth: "admin",
      restStatus: 201,
      async handler(ctx) {
        const product = await this.insertProduct(ctx, newProduct(ctx.params));
        ctx.meta.$location = `/api/v1/products/${product.id}`;
        return product;
      },
    },

    update: {
      rest: "PATCH /products/:id",
      auth: "admin",
      async handler(ctx) {
        const { id, ...patch } = ctx.params;
        const current = await this.findProduct(id);
        // An empty patch is a no-op: nothing changes, not even updatedAt (docs/api.md).
        if (Object.keys(patch).length === 0) return current;
        const product = await this.products.update(id, productChanges(patch));
        if (!product) throw new NotFoundError("Product", id);
        await this.entityChanged("updated", product, ctx);
        return product;
      },
    },

    remove: {
      rest: "DELETE /products/:id",
      auth: "admin",
      async handler(ctx) {
        // NeDB answers a removal with a count, MongoDB with the document:
        // read the product first so both return the same thing.
        const product = await this.findProduct(ctx.params.id);
        await this.products.remove(ctx.params.id);
        await this.entityChanged("removed", product, ctx);
        return product;
      },
    },

    // "Customers also bought": ids from the Go recommendations service,
    // products from here (inactive or removed ones are left out).
    recommended: {
      rest: "GET /products/:id/recommendations",
      auth: "public",
      async handler(ctx) {
        await this.findProduct(ctx.params.id);
        const ids = await boughtTogether(ctx, ctx.params.id, ctx.params.limit);
        const found = await Promise.all(
          ids.map((id) =>
            (this.actions.getProduct({ id }, { parentCtx: ctx }) as Promise<Product>).catch((err: unknown) => {
              // Removed since it was recommended: left out. Anything else is a real failure.
              if (err instanceof NotFoundError) return null;
              throw err;
            }),
          ),
        );
        const rows = found.filter((p): p is Product => p !== null && p.active);
        return { rows: await this.withAvailability(ctx, rows) };
      },
    },
  },

  privateActions: {
    listPage: {
      cache: { keys: ["page", "pageSize", "sort", "category", "q"] },
      params: catalogContract.actions.list.params,
      async handler(ctx: Context<ListProductsParams>): Promise<Page<Product>> {
        const window = pageWindow(ctx.params);
        const query = listQuery(ctx.params);
        const { products, total } = await this.products.page(query, window);
        return {
          rows: products,
          total,
          page: window.page,
          pageSize: window.pageSize,
          totalPages: totalPages(total, window.pageSize),
        };
      },
    },

    getProduct: {
      cache: { keys: ["id"] },
      params: catalogContract.actions.get.params,
      handler(ctx: Context<ParamsOfDef<typeof catalogContract.actions.get>>): Promise<Product> {
        return this.findProduct(ctx.params.id);
      },
    },
  },

  methods: {
    /**
     * Adds the available stock. Inventory is an optional dependency
     * (contracts/catalog.ts): without it the catalog still answers, with
     * `available: null` and the reason, never a 0 that reads as sold out.
     */
    async withAvailability(ctx: Context, products: Product[]): Promise<Product[]> {
      if (products.length === 0) return products;
      try {
        const productIds = products.map((p) => p.id);
        // A slow inventory must not hold the catalog read (bulkhead by timeout).
        const available = await call(
          ctx,
          "inventory.availability",
          { productIds },
          { retries: 0, timeout: config.CATALOG_STOCK_TIMEOUT_MS },
        );
        return products.map((p) => ({ ...p, available: available[p.id] ?? 0 }));
      } catch (err) {
        this.logger.warn("Products served without availability:", (err as Error).message);
        return products.map((p) => ({ ...p, available: null, availableReason: STOCK_UNKNOWN }));
      }
    },

    async findProduct(id: string): Promise<Product> {
      const product = await this.products.get(id);
      if (!product) throw new NotFoundError("Product", id);
      return product;
    },

    async insertProduct(ctx: Context | null, product: Product): Promise<Product> {
      const created = await this.products.insert(product);
      await this.entityChanged("created", created, ctx);
      if (ctx) await emit(ctx, "catalog.product.created", created);
      else await emit(this.broker, "catalog.product.created", created);
      return created;
    },

    async seedDB(): Promise<void> {
      for (const input of demoProducts) {
        try {
          await this.insertProduct(null, { ...newProduct(input), id: demoProductId(input.sku) });
        } catch (err) {
          // Another replica seeding the same empty store inserted it first.
          if (!(err instanceof ConflictError)) throw err;
        }
      }
    },
  },

  created() {
    this.products = new ProductStore(this.adapter);
  },
});
