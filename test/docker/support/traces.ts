import { request } from "../../helpers/http";
import { run } from "./engine";
import type { Sample } from "./load";

interface Span {
  spanID: string;
  parentSpanID: string;
  operationName: string;
  serviceName: string;
  nodeID: string;
  startTime: number;
  duration: number;
  error: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Prints the spans of the first failed requests, read from the stack's Jaeger
 * (the stand-in in the local images): which call on which node took the time.
 * A failed request under load is then explained by the run that saw it, not
 * only counted.
 */
export async function printFailedTraces(jaegerUrl: string, failures: Sample[], limit = 3): Promise<void> {
  if (failures.length === 0) return;
  // jaeger-client sends its spans in batches, about a second apart.
  await sleep(3_000);
  for (const failure of failures.slice(0, limit)) {
    const res = await request<{ data: { spans: Span[] }[] }>(jaegerUrl, "GET", `/api/traces/${failure.traceId}`).catch(
      () => ({ body: { data: [] } }),
    );
    const spans = (res.body.data[0]?.spans ?? []).sort((a, b) => a.startTime - b.startTime);
    const t0 = spans[0]?.startTime ?? 0;
    const lines = spans.map(
      (s) =>
        `  +${((s.startTime - t0) / 1000).toFixed(0).padStart(6)} ms ${(s.duration / 1000).toFixed(0).padStart(6)} ms` +
        `  ${s.operationName} on ${s.nodeID}${s.error ? "  ERROR" : ""}`,
    );
    console.log(
      `${failure.step} at ${failure.at} ms: ${failure.status} after ${failure.ms} ms, trace ${failure.traceId}` +
        `\n${lines.join("\n") || "  (no spans received)"}`,
    );
  }
}

/**
 * Prints the warnings and errors the running containers logged since `since`
 * (when requests failed): a node dropped, a call refused, a store that did not
 * answer. Containers removed meanwhile (an old one after a rollout) are gone.
 */
export async function printWarnings(containers: string[], since: Date, failures: Sample[], perContainer = 20) {
  if (failures.length === 0) return;
  for (const id of containers) {
    const out = await run("docker", ["logs", "--since", since.toISOString(), id]);
    const lines = (out.stdout + out.stderr).split("\n").filter((l) => /\b(WARN|ERROR|FATAL)\b/.test(l));
    if (lines.length) console.log(`${id.slice(0, 12)} warned:\n  ${lines.slice(-perContainer).join("\n  ")}`);
  }
}
