import { spawnSync } from "node:child_process";
import path from "node:path";

/**
 * moleculer-db's MemoryAdapter makes Node print deprecation DEP0174 (with a
 * stack trace) on every update, a cost measured in bench/README.md; Agora's
 * NeDB adapter must not. Each run is its own node process with
 * --throw-deprecation, so a deprecation fails it loudly and no other test's
 * warning (Node warns once per process) can hide one.
 */
function runUpdates(adapter: "agora" | "moleculer-db") {
  const script = path.join(__dirname, "fixtures", "nedb-updates.ts");
  return spawnSync(process.execPath, ["--throw-deprecation", "--import", "tsx", script, adapter], {
    cwd: path.join(__dirname, "..", ".."),
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
}

describe("NeDB store and deprecation warnings", () => {
  it("updates through Agora's NeDB adapter raise no deprecation", () => {
    const run = runUpdates("agora");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ _id: "a", n: 3 });
  });

  it("(the check works: moleculer-db's MemoryAdapter raises DEP0174)", () => {
    const run = runUpdates("moleculer-db");
    expect(run.stderr).toContain("DEP0174");
    expect(run.status).not.toBe(0);
  });
});
