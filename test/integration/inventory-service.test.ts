import { call, type Product } from "../../contracts";
import { newId } from "../../platform/core/ids";
import { startNode, type TestNode } from "../helpers/node";
import { eventually } from "../helpers/processes";
import { stockTotal } from "../../services/inventory/domain/stock.rules";
import type { InventoryStore } from "../../services/inventory/store";

/** Inventory on a local broker with the catalog: idempotency, all-or-nothing, crash convergence. */
describe("inventory service", () => {
  let node: TestNode;
  let counter = 0;
  async function product(stock: number): Promise<Product> {
    const created = await call(node.broker, "catalog.create", {
      sku: `INV-${Date.now()}-${++counter}`,
      name: `Stocked ${counter}`,
      priceCents: 1000,
      currency: "EUR",
      category: "test",
    });
    await call(node.broker, "inventory.set", { productId: created.id, quantity: stock });
    return created;
  }
  const level = (productId: string) => call(node.broker, "inventory.get", { productId });
  const store = () => (node.broker.getLocalService("inventory") as unknown as { store: InventoryStore }).store;

  beforeAll(async () => {
    node = await startNode(["catalog", "inventory"]);
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("gives new products a zero level and every seeded product a level", async () => {
    const created = await call(node.broker, "catalog.create", {
      sku: `NEW-${Date.now()}`,
      name: "Fresh",
      priceCents: 100,
      currency: "EUR",
      category: "test",
    });
    const stored = await eventually(() => store().levels.get(created.id));
    expect(stored).toMatchObject({ available: 0, reserved: 0, committed: 0 });
    const demo = await call(node.broker, "catalog.list", { pageSize: 100 });
    await eventually(async () => (await store().levels.getMany(demo.rows.map((p) => p.id))).length === demo.total);
  });

  it("sets the available quantity and keeps reserved and committed", async () => {
    const p = await product(10);
    await call(node.broker, "inventory.reserve", { orderId: newId(), items: [{ productId: p.id, quantity: 3 }] });
    const sold = newId();
    await call(node.broker, "inventory.reserve", { orderId: sold, items: [{ productId: p.id, quantity: 2 }] });
    await call(node.broker, "inventory.commit", { orderId: sold });
    const after = await call(node.broker, "inventory.set", { productId: p.id, quantity: 40 });
    expect(after).toMatchObject({ productId: p.id, available: 40, reserved: 3, committed: 2 });
  });

  it("refuses stock for unknown products and answers a zero level for them", async () => {
    const unknown = newId();
    await expect(call(node.broker, "inventory.set", { productId: unknown, quantity: 5 })).rejects.toMatchObject({
      code: 404,
    });
    expect(await level(unknown)).toMatchObject({ available: 0, reserved: 0, committed: 0 });
    expect(await call(node.broker, "inventory.availability", { productIds: [unknown] })).toEqual({ [unknown]: 0 });
  });

  it("reserve, release and commit are idempotent by orderId", async () => {
    const p = await product(10);
    const orderId = newId();
    const items = [{ productId: p.id, quantity: 4 }];
    const first = await call(node.broker, "inventory.reserve", { orderId, items });
    const again = await call(node.broker, "inventory.reserve", { orderId, items });
    expect(first).toEqual({ orderId, status: "RESERVED", items });
    expect(again).toEqual(first);
    expect(await level(p.id)).toMatchObject({ available: 6, reserved: 4, committed: 0 });

    const committed = await call(node.broker, "inventory.commit", { orderId });
    expect(committed.status).toBe("COMMITTED");
    expect(await call(node.broker, "inventory.commit", { orderId })).toEqual(committed);
    // Release after commit is a no-op; so is a repeated reserve.
    expect((await call(node.broker, "inventory.release", { orderId }))?.status).toBe("COMMITTED");
    expect((await call(node.broker, "inventory.reserve", { orderId, items })).status).toBe("COMMITTED");
    expect(await level(p.id)).toMatchObject({ available: 6, reserved: 0, committed: 4 });

    const other = newId();
    await call(node.broker, "inventory.reserve", { orderId: other, items });
    expect((await call(node.broker, "inventory.release", { orderId: other }))?.status).toBe("RELEASED");
    expect((await call(node.broker, "inventory.release", { orderId: other }))?.status).toBe("RELEASED");
    // A released reservation is not re-reserved by a late repeat, and cannot be committed.
    expect((await call(node.broker, "inventory.reserve", { orderId: other, items })).status).toBe("RELEASED");
    await expect(call(node.broker, "inventory.commit", { orderId: other })).rejects.toMatchObject({
      code: 409,
      type: "RESERVATION_RELEASED",
    });
    expect(await level(p.id)).toMatchObject({ available: 6, reserved: 0, committed: 4 });
  });

  it("reserve and release announce inventory.changed; a commit, which leaves available as it was, does not", async () => {
    const p = await product(10);
    const announced: string[][] = [];
    const broadcast = jest.spyOn(node.broker, "broadcast");
    const changes = () =>
      (broadcast.mock.calls as unknown[][])
        .filter(([event]) => event === "inventory.changed")
        .map(([, payload]) => (payload as { productIds: string[] } | undefined)?.productIds);
    try {
      const sold = newId();
      await call(node.broker, "inventory.reserve", { orderId: sold, items: [{ productId: p.id, quantity: 2 }] });
      announced.push(...changes().map((ids) => ids ?? []));
      const before = (await level(p.id)).available;
      await call(node.broker, "inventory.commit", { orderId: sold });
      expect((await level(p.id)).available).toBe(before);
      expect(changes()).toHaveLength(1);
      const released = newId();
      await call(node.broker, "inventory.reserve", { orderId: released, items: [{ productId: p.id, quantity: 1 }] });
      await call(node.broker, "inventory.release", { orderId: released });
      expect(changes()).toHaveLength(3);
      expect(announced).toEqual([[p.id]]);
    } finally {
      broadcast.mockRestore();
    }
  });

  it("reserves all items or none, and a repeat of a refused reservation is refused again", async () => {
    const [a, b] = [await product(5), await product(1)];
    const orderId = newId();
    const items = [
      { productId: a.id, quantity: 2 },
      { productId: b.id, quantity: 2 },
    ];
    await expect(call(node.broker, "inventory.reserve", { orderId, items })).rejects.toMatchObject({
      code: 409,
      type: "OUT_OF_STOCK",
      data: { productId: b.id },
    });
    await expect(call(node.broker, "inventory.reserve", { orderId, items })).rejects.toMatchObject({ code: 409 });
    expect(await level(a.id)).toMatchObject({ available: 5, reserved: 0 });
    expect(await level(b.id)).toMatchObject({ available: 1, reserved: 0 });
  });

  it("release without a reservation answers null and blocks a late reserve for that order", async () => {
    const p = await product(3);
    const orderId = newId();
    expect(await call(node.broker, "inventory.release", { orderId })).toBeNull();
    const late = await call(node.broker, "inventory.reserve", { orderId, items: [{ productId: p.id, quantity: 1 }] });
    expect(late.status).toBe("RELEASED");
    expect(await level(p.id)).toMatchObject({ available: 3, reserved: 0 });
    await expect(call(node.broker, "inventory.commit", { orderId: newId() })).rejects.toMatchObject({ code: 404 });
  });

  it("adds repeated lines of one product up", async () => {
    const p = await product(5);
    const orderId = newId();
    const r = await call(node.broker, "inventory.reserve", {
      orderId,
      items: [
        { productId: p.id, quantity: 1 },
        { productId: p.id, quantity: 2 },
      ],
    });
    expect(r.items).toEqual([{ productId: p.id, quantity: 3 }]);
    expect(await level(p.id)).toMatchObject({ available: 2, reserved: 3 });
  });

  describe("crash convergence: a reservation left half-applied is finished by re-running any step", () => {
    /**
     * The state a crash leaves after the reservation record was written and
     * the first product's stock moved, but not the second's: exactly the
     * writes the ledger does, stopped half-way.
     */
    async function halfReserved() {
      const [a, b] = [await product(7), await product(4)];
      const orderId = newId();
      const items = [
        { productId: a.id, quantity: 2 },
        { productId: b.id, quantity: 3 },
      ].sort((x, y) => x.productId.localeCompare(y.productId));
      const now = new Date().toISOString();
      await store().reservations.insert({
        _id: orderId,
        orderId,
        state: "RESERVING",
        items,
        createdAt: now,
        updatedAt: now,
      });
      const [first] = items;
      await store().levels.update(
        first.productId,
        {},
        {
          $inc: { available: -first.quantity, reserved: first.quantity },
          $set: { [`holds.${orderId}`]: first.quantity },
        },
      );
      const initial = { [a.id]: 7, [b.id]: 4 };
      const invariant = async () => {
        for (const id of [a.id, b.id]) {
          const l = await level(id);
          expect(l.available).toBeGreaterThanOrEqual(0);
          expect(stockTotal(l)).toBe(initial[id]);
        }
      };
      return { orderId, items, a, b, invariant };
    }

    it("re-running reserve completes it without moving the first product twice", async () => {
      const { orderId, items, a, b, invariant } = await halfReserved();
      await invariant();
      const r = await call(node.broker, "inventory.reserve", { orderId, items });
      expect(r.status).toBe("RESERVED");
      expect(await level(a.id)).toMatchObject({ available: 5, reserved: 2 });
      expect(await level(b.id)).toMatchObject({ available: 1, reserved: 3 });
      await invariant();
    });

    it("release gives back exactly what was moved", async () => {
      const { orderId, a, b, invariant } = await halfReserved();
      expect((await call(node.broker, "inventory.release", { orderId }))?.status).toBe("RELEASED");
      expect(await level(a.id)).toMatchObject({ available: 7, reserved: 0 });
      expect(await level(b.id)).toMatchObject({ available: 4, reserved: 0 });
      await invariant();
    });

    it("commit finishes the reservation first, then sells it", async () => {
      const { orderId, a, b, invariant } = await halfReserved();
      expect((await call(node.broker, "inventory.commit", { orderId })).status).toBe("COMMITTED");
      expect(await level(a.id)).toMatchObject({ available: 5, reserved: 0, committed: 2 });
      expect(await level(b.id)).toMatchObject({ available: 1, reserved: 0, committed: 3 });
      await invariant();
    });

    it("a crash between the stock moves of a commit or release is finished by the next call", async () => {
      const { orderId, items, invariant } = await halfReserved();
      await call(node.broker, "inventory.reserve", { orderId, items });
      // Commit stopped after its first product: state written, one row sold.
      await store().reservations.update(orderId, {}, { $set: { state: "COMMITTING" } });
      const [first] = items;
      await store().levels.update(
        first.productId,
        {},
        {
          $inc: { reserved: -first.quantity, committed: first.quantity },
          $unset: { [`holds.${orderId}`]: true },
        },
      );
      await invariant();
      // The saga, unsure, tries to release: the commit had been decided, so it is finished instead.
      expect((await call(node.broker, "inventory.release", { orderId }))?.status).toBe("COMMITTED");
      for (const item of items)
        expect(await level(item.productId)).toMatchObject({ reserved: 0, committed: item.quantity });
      await invariant();
    });
  });

  it("catalog reads show current availability, never a cached one", async () => {
    const p = await product(8);
    expect((await call(node.broker, "catalog.get", { id: p.id })).available).toBe(8);
    await call(node.broker, "inventory.reserve", { orderId: newId(), items: [{ productId: p.id, quantity: 5 }] });
    expect((await call(node.broker, "catalog.get", { id: p.id })).available).toBe(3);
    await call(node.broker, "inventory.set", { productId: p.id, quantity: 1 });
    const page = await call(node.broker, "catalog.list", { q: p.name, pageSize: 100 });
    expect(page.rows.find((row) => row.id === p.id)?.available).toBe(1);
  });

  describe("bad input is refused with 422 and changes nothing", () => {
    const cases: [string, Record<string, unknown>][] = [
      ["negative quantity", { quantity: -1 }],
      ["too much", { quantity: 1_000_001 }],
      ["a fraction", { quantity: 1.5 }],
      ["text", { quantity: "abc" }],
      ["an operator", { quantity: { $gt: 0 } }],
      ["an extra field", { quantity: 3, reserved: 0 }],
    ];
    it.each(cases)("inventory.set with %s", async (_name, params) => {
      const p = await product(2);
      await expect(call(node.broker, "inventory.set", { productId: p.id, ...params } as never)).rejects.toMatchObject({
        code: 422,
      });
      expect(await level(p.id)).toMatchObject({ available: 2 });
    });

    it("reserve with malformed ids, quantities or item lists", async () => {
      const p = await product(2);
      const bad: unknown[] = [
        { orderId: "x", items: [{ productId: p.id, quantity: 1 }] },
        { orderId: { $ne: "" }, items: [{ productId: p.id, quantity: 1 }] },
        { orderId: newId(), items: [] },
        { orderId: newId(), items: [{ productId: p.id, quantity: 0 }] },
        { orderId: newId(), items: [{ productId: { $gt: "" }, quantity: 1 }] },
        { orderId: newId(), items: [{ productId: p.id, quantity: 1, price: 0 }] },
        { orderId: newId(), items: "x".repeat(100_000) },
      ];
      for (const params of bad) {
        await expect(call(node.broker, "inventory.reserve", params as never)).rejects.toMatchObject({ code: 422 });
      }
      expect(await level(p.id)).toMatchObject({ available: 2, reserved: 0 });
    });
  });
});
