import fs from "node:fs";
import path from "node:path";
import { serviceContracts } from "../../contracts";

/**
 * The platform (platform/) and the dev tools (dev/) serve every service and
 * know none of them: what they need about services is declared by the
 * services (their contracts) and passed in. Imports run one way: services/
 * and contracts/ import platform/, never the other way round, and no files
 * import each other in a circle.
 */
const ROOT = path.resolve(__dirname, "../..");
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;
/** The folders whose files must not import each other in a circle. */
const LAYERED = ["platform", "contracts", "dev", "mixins"];

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

const inFolder = (target: string, folder: string) => target === folder || target.startsWith(`${folder}${path.sep}`);

function importsOf(folder: string, into: string): string[] {
  return sourceFiles(path.join(ROOT, folder)).flatMap((file) =>
    importedPaths(file, fs.readFileSync(file, "utf8"))
      .filter((target) => inFolder(target, into))
      .map((target) => `${path.relative(ROOT, file)} → ${target}`),
  );
}

/** The module a relative import names (repository-relative, without extension), if it is one of `files`. */
function resolveModule(target: string, files: ReadonlySet<string>): string | undefined {
  return [target, path.join(target, "index")].find((candidate) => files.has(candidate));
}

/** Every import cycle in a graph of module → modules it imports, each as the path round it (first module repeated). */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

function layeredImportGraph(): Map<string, string[]> {
  const files = LAYERED.flatMap((folder) => sourceFiles(path.join(ROOT, folder)));
  const modules = new Set(files.map((f) => path.relative(ROOT, f).replace(/\.(ts|js|mjs|cjs)$/, "")));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const from = path.relative(ROOT, file).replace(/\.(ts|js|mjs|cjs)$/, "");
    const targets = importedPaths(file, fs.readFileSync(file, "utf8"))
      .map((target) => resolveModule(target, modules))
      .filter((target): target is string => target !== undefined);
    graph.set(from, [...new Set(targets)]);
  }
  return graph;
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

  it("nothing under platform/ imports from services/ or contracts/", () => {
    expect(sourceFiles(path.join(ROOT, "platform")).length).toBeGreaterThan(10);
    expect(importsOf("platform", "services")).toEqual([]);
    expect(importsOf("platform", "contracts")).toEqual([]);
  });

  it("nothing under dev/ imports from services/", () => {
    expect(sourceFiles(path.join(ROOT, "dev")).length).toBeGreaterThan(0);
    expect(importsOf("dev", "services")).toEqual([]);
  });

  it("finds import cycles, and only those", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c", "d"]],
      ["c", ["a"]],
      ["d", []],
      ["e", ["e"]],
    ]);
    expect(importCycles(graph)).toEqual([
      ["a", "b", "c", "a"],
      ["e", "e"],
    ]);
    expect(
      importCycles(
        new Map([
          ["a", ["b"]],
          ["b", []],
          ["c", ["a", "b"]],
        ]),
      ),
    ).toEqual([]);
  });

  it("no files under platform/, contracts/, dev/ and mixins/ import each other in a circle", () => {
    const graph = layeredImportGraph();
    expect(graph.size).toBeGreaterThan(50);
    // The graph is read right: contracts import the contract machinery.
    expect(graph.get(path.join("contracts", "catalog"))).toContain(path.join("platform", "contracts", "define"));
    expect(importCycles(graph).map((cycle) => cycle.join(" → "))).toEqual([]);
  });
});

describe("platform knows no service by name", () => {
  /** Every action of every contract, and every event the contracts declare (the dotted keys of their `*Events`). */
  function serviceNames(): string[] {
    const actions = serviceContracts.flatMap((c) => Object.keys(c.actions).map((a) => `${c.name}.${a}`));
    const events = sourceFiles(path.join(ROOT, "contracts")).flatMap((file) =>
      [...fs.readFileSync(file, "utf8").matchAll(/^\s*["']([a-z]\w*(?:\.\w+)+)["']\??\s*:/gm)].map((m) => m[1]),
    );
    return [...new Set([...actions, ...events])];
  }

  /** Quoted (', ", `) occurrences of `names` in the files under `folder`. */
  function namedIn(folder: string, names: readonly string[]): string[] {
    return sourceFiles(path.join(ROOT, folder)).flatMap((file) => {
      const source = fs.readFileSync(file, "utf8");
      return names
        .filter((name) => new RegExp(`["'\`]${name.replace(/\./g, "\\.")}["'\`]`).test(source))
        .map((name) => `${path.relative(ROOT, file)}: ${name}`);
    });
  }

  it("reads the names from the contracts", () => {
    const names = serviceNames();
    expect(names).toEqual(
      expect.arrayContaining(["catalog.get", "users.login", "inventory.changed", "order.confirmed"]),
    );
  });

  it("no file under platform/ names a service's action, event or store cache", () => {
    const stores = serviceContracts.map((c) => `cache.clean.${c.name}`);
    expect(namedIn("platform", [...serviceNames(), ...stores])).toEqual([]);
  });
});
