import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchReport } from "../../bench/lib/report";

/**
 * The bench script runs end to end: real processes, the load generator, the
 * report files. One second of C1 and S1 (the embedded shop); no assertion on
 * the numbers themselves, only on the shape of what was written.
 */
const ROOT = path.resolve(__dirname, "../..");

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "bench/run.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "", JEST_WORKER_ID: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 170_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("npm run bench", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "agora-bench-smoke-"));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it("runs a scenario and its ceiling and writes well-formed results", async () => {
    const { code, output } = await runBench(["--only", "S1", "--duration", "1", "--warmup", "0", "--out", out]);
    expect({ code, output: code === 0 ? "" : output }).toEqual({ code: 0, output: "" });

    const report = JSON.parse(fs.readFileSync(path.join(out, "latest.json"), "utf8")) as BenchReport;
    expect(report.node).toBe(process.versions.node);
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(report.machine.loadAvgAtStart).toHaveLength(3);
    expect(report.machine.loadAvgAtEnd).toHaveLength(3);
    expect(Number.isNaN(Date.parse(report.date))).toBe(false);
    expect(report.scenarios.map((s) => s.id)).toEqual(["C1", "S1"]);
    for (const s of report.scenarios) {
      expect(s.skipped).toBeUndefined();
      for (const key of ["reqPerSec", "p50Ms", "p99Ms", "p999Ms", "errors", "non2xx"] as const) {
        expect(typeof s[key]).toBe("number");
      }
      expect(s.reqPerSec).toBeGreaterThan(0);
      expect(s.p50Ms!).toBeLessThanOrEqual(s.p99Ms!);
      expect(s.p99Ms!).toBeLessThanOrEqual(s.p999Ms!);
    }
    const s1 = report.scenarios[1];
    expect(s1.ceiling).toBe("C1");
    expect(s1.ratioToCeiling).toBeGreaterThan(0);

    const table = fs.readFileSync(path.join(out, "latest.md"), "utf8");
    expect(table).toMatch(/^\| C1 \|/m);
    expect(table).toMatch(/^\| S1 \|/m);
    const svg = fs.readFileSync(path.join(out, "latest.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
  }, 180_000);
});
