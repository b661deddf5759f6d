import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { LoadResult, LoadSpec } from "./load-spec";
import { ROOT } from "./procs";

let runCounter = 0;

/** Runs the load worker in a process of its own and returns what it measured. */
export async function runLoad(spec: LoadSpec, workDir: string, cpus?: string): Promise<LoadResult> {
  fs.mkdirSync(workDir, { recursive: true });
  const id = ++runCounter;
  const specFile = path.join(workDir, `load-${id}.spec.json`);
  const resultFile = path.join(workDir, `load-${id}.result.json`);
  fs.writeFileSync(specFile, JSON.stringify(spec));
  const args = ["--import", "tsx", path.join(ROOT, "bench/load-worker.ts"), specFile, resultFile];
  const [command, argv] = cpus ? ["taskset", ["-c", cpus, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`load worker failed (${code}): ${stderr.slice(-2000)}`);
  return JSON.parse(fs.readFileSync(resultFile, "utf8")) as LoadResult;
}
