import fs from "node:fs";
import path from "node:path";

/**
 * The platform (platform/) and the dev tools (dev/) serve every service and
 * know none of them: what they need about services is declared by the
 * services and passed in. A file there importing from services/ fails here.
 */
const ROOT = path.resolve(__dirname, "../..");
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

/** The repository-relative targets of a file's relative imports. */
export function importedPaths(file: string, source: string): string[] {
  return [...source.matchAll(SPECIFIER)]
    .map((m) => m[1])
    .filter((spec) => spec.startsWith("."))
    .map((spec) => path.relative(ROOT, path.resolve(path.dirname(file), spec)));
}

function servicesImports(folder: string): string[] {
  return sourceFiles(path.join(ROOT, folder)).flatMap((file) =>
    importedPaths(file, fs.readFileSync(file, "utf8"))
      .filter((target) => target === "services" || target.startsWith(`services${path.sep}`))
      .map((target) => `${path.relative(ROOT, file)} → ${target}`),
  );
}

describe("platform boundary", () => {
  it("finds the imports it is looking for", () => {
    const file = path.join(ROOT, "platform/observability/example.ts");
    const source = [
      'import { a } from "../../services/catalog/demo-products";',
      'import type { B } from "../core/errors";',
      'export * from "../../services/orders/store";',
      'const c = await import("../../services/api/api.service");',
    ].join("\n");
    expect(importedPaths(file, source)).toEqual([
      path.join("services/catalog/demo-products"),
      path.join("platform/core/errors"),
      path.join("services/orders/store"),
      path.join("services/api/api.service"),
    ]);
  });

  it("nothing under platform/ imports from services/", () => {
    expect(sourceFiles(path.join(ROOT, "platform")).length).toBeGreaterThan(10);
    expect(servicesImports("platform")).toEqual([]);
  });

  it("nothing under dev/ imports from services/", () => {
    expect(sourceFiles(path.join(ROOT, "dev")).length).toBeGreaterThan(0);
    expect(servicesImports("dev")).toEqual([]);
  });
});
