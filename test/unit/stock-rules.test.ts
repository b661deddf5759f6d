import { NedbAdapter } from "../../platform/store/nedb-adapter";
import { DocStore } from "../../platform/store/doc-store";
import { OutOfStock, StockLedger } from "../../services/inventory/stock-ledger";
import {
  isLowAfterChange,
  mergeItems,
  publicStatus,
  stockTotal,
  toStockLevel,
  type LevelDoc,
  type ReservationDoc,
} from "../../services/inventory/stock.rules";

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

  it("low stock is a decrease that ends under the threshold", () => {
    expect(isLowAfterChange(5, 4, 5)).toBe(true);
    expect(isLowAfterChange(10, 5, 5)).toBe(false);
    expect(isLowAfterChange(2, 1, 5)).toBe(true);
    expect(isLowAfterChange(1, 3, 5)).toBe(false);
    expect(isLowAfterChange(3, 3, 5)).toBe(false);
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
  async function ledger(): Promise<StockLedger> {
    const open = async () => {
      const adapter = new NedbAdapter();
      adapter.init({} as never, {} as never);
      await adapter.connect();
      return adapter;
    };
    return new StockLedger(new DocStore<LevelDoc>(await open()), new DocStore<ReservationDoc>(await open()));
  }

  it("moves units between buckets and keeps the total", async () => {
    const l = await ledger();
    await l.setAvailable("p", 10);
    await l.reserve("o1", [{ productId: "p", quantity: 4 }]);
    await l.reserve("o2", [{ productId: "p", quantity: 3 }]);
    await l.commit("o1");
    await l.release("o2");
    const level = toStockLevel(await l.levels.get("p"), "p");
    expect(level).toMatchObject({ available: 6, reserved: 0, committed: 4 });
    expect(stockTotal(level)).toBe(10);
    expect((await l.levels.get("p"))?.holds).toEqual({});
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
    expect(await l.levels.get("a")).toMatchObject({ available: 5, reserved: 0 });
    await expect(l.reserve("o2", [{ productId: "missing", quantity: 1 }])).rejects.toBeInstanceOf(OutOfStock);
  });

  it("ensureLevel never overwrites an existing level", async () => {
    const l = await ledger();
    expect(await l.ensureLevel("p", 7)).toBe(true);
    expect(await l.ensureLevel("p", 0)).toBe(false);
    expect(await l.levels.get("p")).toMatchObject({ available: 7 });
  });
});
