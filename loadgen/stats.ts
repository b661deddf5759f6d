import * as hdr from "hdr-histogram-js";

/**
 * What the run measured: one HDR histogram of latency per journey step (in
 * microseconds, 3 significant digits, so p99.9 of a long run stays exact
 * within 0.1 % without keeping every sample), and the errors by step and status.
 */

export interface StepSummary {
  count: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

function histogram(): hdr.Histogram {
  // JS implementation, no WebAssembly: one less thing that differs between machines.
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

const ms = (us: number) => Math.round(us) / 1000;

class Step {
  readonly latency = histogram();
  errors = 0;
}

export class Stats {
  private readonly steps = new Map<string, Step>();
  /** "<status>" (0 answers are named by their error: "timeout", "ECONNREFUSED") → count. */
  readonly errorsByStatus = new Map<string, number>();
  requests = 0;
  errors = 0;
  /** Completed journeys (every step answered 2xx). */
  journeysOk = 0;
  journeysFailed = 0;

  private step(name: string): Step {
    let step = this.steps.get(name);
    if (!step) this.steps.set(name, (step = new Step()));
    return step;
  }

  /** One request: its latency counts whether or not it succeeded (a fast 503 is still an answer time). */
  record(step: string, latencyMs: number, ok: boolean, status: string): void {
    const s = this.step(step);
    s.latency.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
    this.requests++;
    if (!ok) {
      s.errors++;
      this.errors++;
      this.errorsByStatus.set(status, (this.errorsByStatus.get(status) ?? 0) + 1);
    }
  }

  /** A journey that ended on something other than an HTTP answer (an unexpected body): errors["exception"]. */
  exception(): void {
    this.errors++;
    this.errorsByStatus.set("exception", (this.errorsByStatus.get("exception") ?? 0) + 1);
  }

  /** All steps' latencies together (for the progress line). */
  p99All(): number {
    let worst = 0;
    for (const s of this.steps.values()) worst = Math.max(worst, s.latency.getValueAtPercentile(99));
    return ms(worst);
  }

  summary(): Record<string, StepSummary> {
    const out: Record<string, StepSummary> = {};
    for (const [name, s] of this.steps) {
      const h = s.latency;
      out[name] = {
        count: h.totalCount,
        errors: s.errors,
        p50: ms(h.getValueAtPercentile(50)),
        p90: ms(h.getValueAtPercentile(90)),
        p99: ms(h.getValueAtPercentile(99)),
        p999: ms(h.getValueAtPercentile(99.9)),
        max: ms(h.maxValue),
        mean: ms(h.mean),
      };
    }
    return out;
  }
}
