import { serviceContracts } from "../../contracts";
import { cacheDeclarations, ReadCache } from "../../platform/gateway/read-cache";
import { readPathMixin } from "../../platform/gateway/read-path.mixin";

/** The gateway's read cache keeps what the contracts declare cacheable and drops it on what they declare. */

const reads = new Map([
  ["things.get", { fields: ["id"], keepsOnlyWith: "stock" }],
  ["things.list", { fields: ["page"] }],
]);
const cache = () => new ReadCache({ max: 100, ttlMs: 0, reads });

it("answers only the declared reads, keyed by their declared params", () => {
  const c = cache();
  expect(c.key("things.create", { id: "a" })).toBeNull();
  expect(c.key("things.get", { id: "a", extra: 1 })).toBe(c.key("things.get", { id: "a" }));
  expect(c.key("things.list", { page: 1 })).not.toBe(c.key("things.list", { page: 2 }));
});

it("keeps an answer only when each row has the declared field as a number", () => {
  const c = cache();
  const key = c.key("things.get", { id: "a" })!;
  c.store(key, { id: "a", stock: null }, c.generation);
  expect(c.get(key)).toBeUndefined();
  c.store(key, { id: "a", stock: 3 }, c.generation);
  expect(c.get(key)?.toString()).toBe('{"id":"a","stock":3}');
});

it("drops the answers showing a changed row, and all on clear", () => {
  const c = cache();
  const one = c.key("things.get", { id: "a" })!;
  const page = c.key("things.list", { page: 1 })!;
  c.store(one, { id: "a", stock: 1 }, c.generation);
  c.store(page, { rows: [{ id: "a" }, { id: "b" }] }, c.generation);
  const other = c.key("things.list", { page: 2 })!;
  c.store(other, { rows: [{ id: "c" }] }, c.generation);
  c.invalidateRows(["a"]);
  expect([c.get(one), c.get(page), c.get(other)?.length]).toEqual([undefined, undefined, expect.any(Number)]);
  c.clear();
  expect(c.size).toBe(0);
});

it("listens to the events the contracts name, besides its own reconnect", () => {
  const events = Object.keys(readPathMixin(serviceContracts).events ?? {}).sort();
  expect(events).toEqual(["$transporter.connected", "cache.clean.catalog", "inventory.changed"]);
});

it("reads from the contracts the product reads and the writes that invalidate them", () => {
  const { reads, writes } = cacheDeclarations(serviceContracts);
  expect(Object.fromEntries([...reads].map(([name, read]) => [name, read.fields]))).toEqual({
    "catalog.get": ["id"],
    "catalog.list": ["page", "pageSize", "sort", "category", "q"],
  });
  expect(Object.fromEntries(writes)).toEqual({
    "catalog.create": "all",
    "catalog.update": "all",
    "catalog.remove": "all",
    "orders.checkout": "all",
    "inventory.set": { ids: "productId" },
  });
});
