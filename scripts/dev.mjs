// `npm run dev`: every service in one process from the TypeScript sources, with
// hot reload, NeDB files under ./data, and the REPL when started from a terminal.
import { spawn } from "node:child_process";
import path from "node:path";

const runner = path.resolve("node_modules/moleculer/bin/moleculer-runner.js");
const args = [runner, "--hot", "--config", "moleculer.config.ts", "--mask", "**/*.service.ts"];
if (process.stdin.isTTY) args.push("--repl");

const child = spawn(process.execPath, args, {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import tsx`.trim(),
    DATA_DIR: process.env.DATA_DIR ?? "data",
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
