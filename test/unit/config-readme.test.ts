import fs from "node:fs";
import path from "node:path";
import { variables } from "../../platform/config";
import { CONFIG_DOC, configTableRows, docTableRows } from "../../scripts/config-table";

const ROOT = path.resolve(__dirname, "../..");

describe("configuration declarations", () => {
  it("docs/configuration.md's table is the declarations, row for row (npm run config:table rewrites it)", () => {
    const rows = docTableRows(fs.readFileSync(CONFIG_DOC, "utf8"));
    expect(rows.length).toBe(Object.keys(variables).length);
    expect(rows).toEqual(configTableRows());
  });

  it("no production code but platform/config reads process.env", () => {
    const readers: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.(ts|mjs|js)$/.test(entry.name) && /process\.env\b(?!\.SERVICEDIR \?\?=)/.test(stripComments(file)))
          readers.push(file);
      }
    };
    for (const dir of ["services", "platform", "dev", "mixins", "contracts", "scripts"]) walk(dir);
    if (/process\.env\b(?!\.SERVICEDIR \?\?=)/.test(stripComments("moleculer.config.ts")))
      readers.push("moleculer.config.ts");
    // The .mjs tool scripts (npm run dev, the Go build) start child processes and hand their environment on.
    expect(readers.filter((file) => !/^scripts\/[\w-]+\.mjs$/.test(file))).toEqual(["platform/config/index.ts"]);
    expect(readers).toContain("scripts/dev.mjs");
  });
});

function stripComments(file: string): string {
  return fs
    .readFileSync(path.join(ROOT, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
}
