import path from "node:path";
import fs from "node:fs";
import os from "node:os";
import { startProcess, type Proc } from "../helpers/processes";
import type { Report } from "../../loadgen/report";

/** Runs `npm run loadgen` as users do (tsx loadgen/main.ts, a process of its own) and reads its --json report. */

const ROOT = path.resolve(__dirname, "../..");
export const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");

export async function loadgen(args: string[]): Promise<{ report: Report; output: string; code: number | null }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loadgen-"));
  const json = path.join(dir, "out.json");
  try {
    const proc: Proc = startProcess(process.execPath, [TSX, "loadgen/main.ts", ...args, "--json", json]);
    const code = await proc.exited;
    if (code !== 0) throw new Error(`loadgen exited with ${code}:\n${proc.output()}`);
    return { report: JSON.parse(fs.readFileSync(json, "utf8")) as Report, output: proc.output(), code };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
