import { createRequire } from "node:module";
import path from "node:path";

const load = createRequire(__filename);

/**
 * The driver moleculer-db-adapter-mongo runs on is Agora's own `mongodb`
 * (package.json `overrides`), and it supports MongoDB 7, which compose and k8s
 * run: MongoDB 7.0 speaks wire version 21. The adapter's own dependency, the
 * 3.7 driver, supports wire versions 2 to 13 (MongoDB 2.6 to 5.0). docs/stores.md.
 */
describe("the MongoDB driver under moleculer-db-adapter-mongo", () => {
  const adapterDir = path.dirname(require.resolve("moleculer-db-adapter-mongo/package.json"));
  const fromAdapter = (id: string) => require.resolve(id, { paths: [adapterDir] });

  it("is the one Agora depends on", () => {
    expect(fromAdapter("mongodb")).toBe(require.resolve("mongodb"));
    const { version } = load(fromAdapter("mongodb/package.json")) as { version: string };
    expect(version).toBe((load("../../package.json") as { dependencies: Record<string, string> }).dependencies.mongodb);
  });

  it("supports MongoDB 7.0 (wire version 21)", () => {
    const constants = load(fromAdapter("mongodb/lib/cmap/wire_protocol/constants")) as {
      MIN_SUPPORTED_WIRE_VERSION: number;
      MAX_SUPPORTED_WIRE_VERSION: number;
    };
    expect(constants.MIN_SUPPORTED_WIRE_VERSION).toBeLessThanOrEqual(21);
    expect(constants.MAX_SUPPORTED_WIRE_VERSION).toBeGreaterThanOrEqual(21);
  });
});
