import { performance } from "node:perf_hooks";

/**
 * When journeys start. Open loop (the default): arrival i is due at
 * start + i / rate and is started then whether or not earlier ones have
 * answered, and its latency counts from that due time, not from when the
 * event loop got round to sending it. A server that stalls therefore shows
 * every arrival it kept waiting: the coordinated-omission problem that wrk2
 * fixed in wrk. The closed loop (`--closed N`) is kept for comparison: N
 * connections, each sending its next arrival only once the last one
 * answered, timed from the actual send, as wrk and most benchmark loops do.
 */

/** Runs one journey; `origin` is the time its first request's latency counts from. */
export type Arrival = (index: number, origin: number) => Promise<void>;

export interface ScheduleResult {
  /** Arrivals started. */
  started: number;
  /** performance.now() at the start of the schedule. */
  startedAt: number;
  /** performance.now() when the last arrival was started. */
  lastStartAt: number;
  /** How late each open-loop arrival was started after its due time, in ms (the generator's own lag). */
  lagMs: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Arrivals due in the run: one every 1/rate seconds for the duration. */
export function arrivals(rate: number, durationMs: number): number {
  return Math.max(1, Math.floor((rate * durationMs) / 1000 + 1e-9));
}

export interface ScheduleHooks {
  /** Called when an arrival was started, with the number started so far. */
  onStart?: (started: number) => void;
}

export async function openLoop(
  rate: number,
  durationMs: number,
  arrival: Arrival,
  inFlight: Set<Promise<void>>,
): Promise<ScheduleResult> {
  const interval = 1000 / rate;
  const total = arrivals(rate, durationMs);
  const startedAt = performance.now();
  const lagMs: number[] = [];
  let next = 0;
  let lastStartAt = startedAt;
  while (next < total) {
    const now = performance.now();
    // Everything due is started now, even if the event loop was held up:
    // the count stays exact, the lateness is recorded as the generator's lag.
    while (next < total && startedAt + next * interval <= now) {
      const due = startedAt + next * interval;
      lagMs.push(now - due);
      const p = arrival(next, due).finally(() => inFlight.delete(p));
      inFlight.add(p);
      lastStartAt = now;
      next++;
    }
    if (next < total) await sleep(Math.max(0, startedAt + next * interval - performance.now()));
  }
  return { started: total, startedAt, lastStartAt, lagMs };
}

export async function closedLoop(
  rate: number,
  durationMs: number,
  connections: number,
  arrival: Arrival,
  inFlight: Set<Promise<void>>,
): Promise<ScheduleResult> {
  const interval = 1000 / rate;
  const total = arrivals(rate, durationMs);
  const startedAt = performance.now();
  let next = 0;
  let lastStartAt = startedAt;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= total) return;
      const due = startedAt + index * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      // Behind schedule the next request goes out at once and is timed from
      // now: the wait it really had is not seen (coordinated omission).
      lastStartAt = performance.now();
      const p = arrival(index, lastStartAt);
      inFlight.add(p);
      await p.finally(() => inFlight.delete(p));
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { started: Math.min(next, total), startedAt, lastStartAt, lagMs: [] };
}
