import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page, Product } from "../../contracts";
import { startNode } from "../helpers/node";
import { catalogStoreContract } from "./catalog-store.contract";
import { docStoreContract } from "./doc-store.contract";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-nedb-"));
process.env.DATA_DIR = dataDir;
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

catalogStoreContract("NeDB files");
docStoreContract("NeDB files", { enforcesUniqueIndexes: true });

describe("NeDB file persistence", () => {
  it("keeps data written through the store across a broker restart, and seeds only once", async () => {
    const first = await startNode(["catalog"]);
    const created = await first.broker.call<Product, object>("catalog.create", {
      sku: "PERSIST-1",
      name: "Survivor",
      priceCents: 4200,
      currency: "EUR",
      category: "persistence",
    });
    const before = await first.broker.call<Page<Product>, object>("catalog.list", { pageSize: 100 });
    await first.stop();

    expect(fs.readFileSync(path.join(dataDir, "products.db"), "utf8")).toContain("PERSIST-1");

    const second = await startNode(["catalog"]);
    try {
      expect(await second.broker.call("catalog.get", { id: created.id })).toEqual({
        ...created,
        available: null,
        availableReason: expect.any(String),
      }); // no inventory here
      const after = await second.broker.call<Page<Product>, object>("catalog.list", { pageSize: 100 });
      expect(after.total).toBe(before.total);
    } finally {
      await second.stop();
    }
  });
});
