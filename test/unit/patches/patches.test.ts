import fs from "node:fs";
import path from "node:path";
import { PATCHES, ROOT } from "./canary";

/** Every patched package has its canary, and no production code casts its way around a type. */
describe("platform/patches", () => {
  it("has one canary per patched package", () => {
    const packages = fs.readdirSync(PATCHES).filter((f) => fs.statSync(path.join(PATCHES, f)).isDirectory());
    expect(packages.sort()).toEqual(["moleculer", "moleculer-db-adapter-mongo", "moleculer-web"]);
    for (const pkg of packages) expect(fs.existsSync(path.join(__dirname, `${pkg}.canary.test.ts`))).toBe(true);
  });

  it("no production code has an `as unknown as`", () => {
    const found: string[] = [];
    const walk = (rel: string) => {
      const full = path.join(ROOT, rel);
      if (fs.statSync(full).isDirectory()) {
        for (const entry of fs.readdirSync(full)) walk(path.join(rel, entry));
      } else if (/\.(ts|mjs|js)$/.test(rel) && fs.readFileSync(full, "utf8").includes("as unknown as")) {
        found.push(rel);
      }
    };
    for (const dir of ["platform", "services", "contracts", "mixins", "dev", "scripts", "moleculer.config.ts"])
      walk(dir);
    expect(found).toEqual([]);
  });
});
