import { NedbAdapter } from "../../platform/store/nedb-adapter";
import { OutOfStock, StockLedger } from "../../services/inventory/domain/stock-ledger";
import { mergeItems, publicStatus, stockTotal, toStockLevel } from "../../services/inventory/domain/stock.rules";
import { InventoryStore } from "../../services/inventory/store";

describe("stock rules", () => {
  it("merges repeated products and orders lines by product id", () => {
    expect(
      mergeItems([
        { productId: "b", quantity: 1 },
        { productId: "a", quantity: 2 },
        { productId: "b", quantity: 3 },
      ]),
    ).toEqual([
      { productId: "a", quantity: 2 },
      { productId: "b", quantity: 4 },
    ]);
  });

  it("every unit is in one bucket", () => {
    expect(stockTotal({ available: 3, reserved: 2, committed: 5 })).toBe(10);
  });

  it("in-between reservation states answer as where they are heading", () => {
    expect(publicStatus("RESERVING")).toBe("RESERVED");
    expect(publicStatus("RELEASING")).toBe("RELEASED");
    expect(publicStatus("COMMITTING")).toBe("COMMITTED");
  });

  it("an unknown product has a zero level", () => {
    expect(toStockLevel(null, "p")).toMatchObject({ productId: "p", available: 0, reserved: 0, committed: 0 });
  });
});

describe("stock ledger (NeDB in memory, no broker)", () => {
  let store: InventoryStore;
  async function ledger(): Promise<StockLedger> {
    const open = async () => {
      const adapter = new NedbAdapter();
      adapter.init({} as never, {} as never);
      await adapter.connect();
      return adapter;
    };
    store = new InventoryStore(await open(), await open());
    return new StockLedger(store);
  }

  it("moves units between buckets and keeps the total", async () => {
    const l = await ledger();
    await l.setAvailable("p", 10);
    await l.reserve("o1", [{ productId: "p", quantity: 4 }]);
    await l.reserve("o2", [{ productId: "p", quantity: 3 }]);
    await l.commit("o1");
    await l.release("o2");
    const level = toStockLevel(await store.level("p"), "p");
    expect(level).toMatchObject({ available: 6, reserved: 0, committed: 4 });
    expect(stockTotal(level)).toBe(10);
    // Nothing held any more: both orders' markers are spent (they block a late hold, see store.ts).
    const holds = Object.values((await store.level("p"))!.holds);
    expect(holds).toHaveLength(2);
    expect(holds.every((marker) => marker < 0)).toBe(true);
  });

  it("refuses what is not there, without partial effects", async () => {
    const l = await ledger();
    await l.setAvailable("a", 5);
    await l.setAvailable("b", 1);
    await expect(
      l.reserve("o", [
        { productId: "a", quantity: 5 },
        { productId: "b", quantity: 2 },
      ]),
    ).rejects.toBeInstanceOf(OutOfStock);
    expect(await store.level("a")).toMatchObject({ available: 5, reserved: 0 });
    await expect(l.reserve("o2", [{ productId: "missing", quantity: 1 }])).rejects.toBeInstanceOf(OutOfStock);
  });

  it("ensureLevel never overwrites an existing level", async () => {
    const l = await ledger();
    expect(await l.ensureLevel("p", 7)).toBe(true);
    expect(await l.ensureLevel("p", 0)).toBe(false);
    expect(await store.level("p")).toMatchObject({ available: 7 });
  });
});
