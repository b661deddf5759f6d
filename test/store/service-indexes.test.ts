import type { CountOptions, CursorOptions } from "moleculer-db";
import { PRODUCT_SORTS } from "../../contracts";
import type { DbMethods, IndexSpec } from "../../mixins/db.mixin";
import { NedbAdapter } from "../../platform/store/nedb-adapter";
import { notificationIndexes, NotificationsStore } from "../../services/notifications/store";
import { orderIndexes, OrderStore } from "../../services/orders/store";
import { productIndexes, ProductStore } from "../../services/catalog/store";
import { listQuery, pageWindow } from "../../services/catalog/domain/listing";

/**
 * Every query a service's store.ts runs by a field other than the id has an
 * index among those the service declares (dbMixin's `indexes`, listed in its
 * store.ts): each store's query methods run against a real in-memory store
 * that records the fields every query filters and sorts by. Operators such as
 * `$or` (the catalog's free-text search, a scan by design) are not fields.
 */
class RecordingAdapter extends NedbAdapter {
  readonly fields = new Set<string>();

  private record(query: object | undefined, sort?: string | string[]): void {
    for (const key of Object.keys(query ?? {})) if (!key.startsWith("$") && key !== "_id") this.fields.add(key);
    for (const s of typeof sort === "string" ? [sort] : (sort ?? [])) {
      const field = s.replace(/^-/, "");
      if (field !== "_id") this.fields.add(field);
    }
  }

  override createCursor(params: CursorOptions = {}) {
    this.record(params.query, params.sort);
    return super.createCursor(params);
  }

  override count(filters: CountOptions = {}) {
    this.record(filters.query);
    return super.count(filters);
  }

  override countDocs(query: object) {
    this.record(query);
    return super.countDocs(query);
  }
}

async function connected(): Promise<RecordingAdapter & DbMethods["adapter"]> {
  const adapter = new RecordingAdapter();
  await adapter.connect();
  return adapter;
}

const indexed = (indexes: IndexSpec[]) => indexes.map((i) => i.field).sort();

describe("each service's queries are covered by its declared indexes", () => {
  it("catalog: sku lookups, the listing's filters and every sort", async () => {
    const adapter = await connected();
    const store = new ProductStore(adapter);
    const product = {
      id: "0123456789abcdef01234567",
      sku: "IDX-1",
      name: "Indexed",
      priceCents: 100,
      currency: "EUR",
      category: "idx",
      active: true,
      description: "",
      tags: [],
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    };
    await store.insert(product);
    await store.update(product.id, { sku: "IDX-2" });
    for (const sort of PRODUCT_SORTS) {
      await store.page(listQuery({ category: "idx", q: "ind" }), pageWindow({ sort }));
    }
    expect([...adapter.fields].sort()).toEqual(indexed(productIndexes));
  });

  it("orders: a user's orders, recovery and the outbox relay", async () => {
    const adapter = await connected();
    const store = new OrderStore(adapter);
    await store.listForUser("user-1", 0, 10);
    await store.unattended(10);
    await store.outboxDue(10);
    await store.outboxDue(10, true);
    expect([...adapter.fields].sort()).toEqual(indexed(orderIndexes));
  });

  it("notifications: a user's notifications, newest first", async () => {
    const adapter = await connected();
    await new NotificationsStore(adapter).forUser("user-1", 10);
    expect([...adapter.fields].sort()).toEqual(indexed(notificationIndexes));
  });
});
