import fs from "node:fs";
import path from "node:path";
import MongoDbAdapter from "moleculer-db-adapter-mongo";
import { MongoDbAdapterOnDriver7 } from "../../../platform/patches/moleculer-db-adapter-mongo/driver-7";
import { changedSources, ROOT, versionChecks } from "./canary";

/**
 * Upgrade canary of platform/patches/moleculer-db-adapter-mongo/ (docs/patches.md): the adapter
 * still depends on the 3.x driver (the reason for package.json's `overrides`), the methods the
 * patch replaces are still the 3.x ones, and the ones it leaves to the adapter (which work on
 * driver 7 as they are: test/store) are unchanged. test/store/mongo-driver.test.ts checks the
 * driver the adapter resolves is Agora's.
 */
versionChecks("moleculer-db-adapter-mongo");

const adapterPackage = JSON.parse(
  fs.readFileSync(path.join(ROOT, "node_modules/moleculer-db-adapter-mongo/package.json"), "utf8"),
) as { dependencies: Record<string, string> };
const agoraPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  overrides: Record<string, unknown>;
};
const upstream = MongoDbAdapter.prototype as unknown as Record<string, unknown>;

/** The adapter's methods the patch replaces (what they call is gone from driver 7). */
const REPLACED = {
  connect: "155eb696e6200b9a",
  insert: "f57cc6a9a50cb366",
  insertMany: "d734ca3b85604eed",
  updateById: "019293dcc273d440",
  removeById: "7e8ee878d6e882c6",
  stringToObjectID: "631dd9e7ab411682",
  objectIDToString: "c98e44a4e12c3f85",
};

/** The adapter's methods that run on driver 7 as they are. */
const KEPT = {
  init: "255fd9e22ad8d337",
  disconnect: "0a21cb03071c82cc",
  find: "b5d0f6bc25967aa4",
  findOne: "e34414af6fcf56e2",
  findById: "e01dc0b6af25952f",
  findByIds: "8e1bd64dde13b609",
  count: "723b629e96f8a67b",
  updateMany: "0902016dd328ae33",
  removeMany: "c2b1f61a27d8943c",
  clear: "4ee65d33e9908712",
  entityToObject: "39281040c110ccfb",
  createCursor: "9a30a87915392f42",
  transformSort: "6f56ccb170ec4b46",
  beforeSaveTransformID: "f02074b645ea2790",
  afterRetrieveTransformID: "1eee0e73651e8959",
};

describe("platform/patches/moleculer-db-adapter-mongo: the upstream code the patch relies on", () => {
  it("the adapter still asks for the 3.x driver, and package.json gives it Agora's", () => {
    expect(adapterPackage.dependencies.mongodb).toBe("^3.6.10");
    expect(agoraPackage.overrides["moleculer-db-adapter-mongo"]).toEqual({ mongodb: "$mongodb" });
  });

  it("the methods the patch replaces are the adapter's 3.x code, unchanged", () => {
    expect(changedSources(REPLACED, upstream)).toEqual([]);
    const patched = MongoDbAdapterOnDriver7.prototype as unknown as Record<string, unknown>;
    for (const name of Object.keys(REPLACED))
      expect({ name, replaced: patched[name] !== upstream[name] }).toEqual({ name, replaced: true });
  });

  it("the methods left to the adapter are unchanged, and there are no others", () => {
    expect(changedSources(KEPT, upstream)).toEqual([]);
    const own = Object.getOwnPropertyNames(upstream).filter((name) => name !== "constructor");
    expect(own.sort()).toEqual([...Object.keys(REPLACED), ...Object.keys(KEPT)].sort());
  });
});
