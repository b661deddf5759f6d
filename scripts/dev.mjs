// `npm run dev`: every service in one process from the TypeScript sources, with
// hot reload, NeDB files under ./data, and the REPL when started from a terminal.
// On a fresh clone it installs the npm dependencies first (scripts/npm-deps.mjs),
// so it may start on the system's Node; the shop itself runs on the project's.
import { spawn } from "node:child_process";
import path from "node:path";
import { ensureNpmDependencies, projectNode, ROOT } from "./npm-deps.mjs";

ensureNpmDependencies();
const node = projectNode();
const runner = path.join(ROOT, "node_modules/moleculer/bin/moleculer-runner.js");
const args = [runner, "--hot", "--config", "moleculer.config.ts", "--mask", "**/*.service.ts"];
if (process.stdin.isTTY) args.push("--repl");

const child = spawn(node, args, {
  stdio: "inherit",
  cwd: ROOT,
  env: {
    ...process.env,
    // Whatever the shop starts finds the same Node.
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ""}`,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import tsx`.trim(),
    DATA_DIR: process.env.DATA_DIR ?? "data",
    // The demo shop must be able to sell right away: in dev, every product
    // inventory first hears of (the seeded demo catalog included) starts with
    // DEMO_STOCK units. Elsewhere new products start at INVENTORY_INITIAL_STOCK (0).
    INVENTORY_INITIAL_STOCK: process.env.INVENTORY_INITIAL_STOCK ?? process.env.DEMO_STOCK ?? "50",
  },
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
