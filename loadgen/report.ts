import type { StepSummary } from "./stats";

/** The run's outcome as `--json` writes it (times in ms). */
export interface Report {
  target: string;
  journey: string;
  mode: "open" | "closed";
  /** Journeys per second asked for. */
  rate: number;
  durationMs: number;
  /** Journeys started per second, over the span in which they were started (lag lowers it). */
  achievedRate: number;
  journeys: { started: number; ok: number; failed: number };
  /** Requests sent (all steps). */
  requests: number;
  /** Requests not answered 2xx. */
  errors: number;
  /** Errors by HTTP status, or by socket error when no answer came ("timeout", "ECONNRESET"). */
  errorsByStatus: Record<string, number>;
  steps: Record<string, StepSummary>;
  /** What generating the load cost: CPU time of this process, and how late open-loop arrivals were started. */
  overhead: { cpuMs: number; cpuUsPerRequest: number; lagP99Ms: number; lagMaxMs: number };
}

const pad = (text: string | number, width: number) => String(text).padStart(width);

export function table(r: Report): string {
  const lines = [
    `${r.mode} loop, ${r.journey} journeys at ${r.rate}/s for ${r.durationMs / 1000}s against ${r.target}`,
    `achieved ${r.achievedRate.toFixed(2)} journeys/s (${r.journeys.started} started, ${r.journeys.ok} ok, ` +
      `${r.journeys.failed} failed), ${r.requests} requests, ${r.errors} errors`,
    "",
    `${"step".padEnd(16)}${pad("count", 8)}${pad("errors", 8)}${pad("p50 ms", 10)}${pad("p90 ms", 10)}` +
      `${pad("p99 ms", 10)}${pad("p99.9 ms", 10)}${pad("max ms", 10)}`,
  ];
  for (const [name, s] of Object.entries(r.steps)) {
    lines.push(
      `${name.padEnd(16)}${pad(s.count, 8)}${pad(s.errors, 8)}${pad(s.p50.toFixed(1), 10)}${pad(s.p90.toFixed(1), 10)}` +
        `${pad(s.p99.toFixed(1), 10)}${pad(s.p999.toFixed(1), 10)}${pad(s.max.toFixed(1), 10)}`,
    );
  }
  const byStatus = Object.entries(r.errorsByStatus);
  lines.push(
    "",
    byStatus.length ? `errors by status: ${byStatus.map(([k, v]) => `${k} × ${v}`).join(", ")}` : "no errors",
  );
  const lag =
    r.mode === "open"
      ? `; arrivals started late by ${r.overhead.lagP99Ms.toFixed(1)} ms at p99, ${r.overhead.lagMaxMs.toFixed(1)} ms at most`
      : "";
  lines.push(
    `overhead: ${r.overhead.cpuMs.toFixed(0)} ms CPU, ${r.overhead.cpuUsPerRequest.toFixed(0)} µs CPU per request${lag}`,
  );
  return lines.join("\n");
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
