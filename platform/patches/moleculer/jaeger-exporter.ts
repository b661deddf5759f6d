import { TracerExporters } from "moleculer";
import { traceIdOf } from "../../observability/request-context";

/**
 * Patch: moleculer@0.15.2, the Jaeger tracing exporter's convertTraceID
 * (src/tracing/exporters/jaeger.js), registered under Moleculer's name "Jaeger".
 * Canary: test/unit/patches/moleculer.canary.test.ts
 * Upstream: partly: the stock conversion (dashes dropped, then read as hex) could hash an id
 * that is not hex instead of breaking on it; the hash itself (the 32-hex id the log lines
 * carry, request-context.ts traceIdOf) is Agora's and stays here.
 *
 * Moleculer's Jaeger exporter with 128-bit trace ids. Moleculer uses the
 * request id as the trace id; the stock exporter turns it into hex by
 * dropping dashes, which breaks for a client's X-Request-Id such as
 * "checkout-42". traceIdOf() maps any request id to the same 32-hex id the
 * log lines carry, so a trace id found in a log line opens the trace.
 */
export class AgoraJaegerExporter extends TracerExporters.Jaeger {
  convertTraceID(id: string | null): Buffer | null {
    return id ? Buffer.from(traceIdOf(id), "hex") : null;
  }
}

// Registered under Moleculer's own name, so `type: "Jaeger"` (the only names its typings accept) builds ours.
(TracerExporters.register as (name: string, value: unknown) => void)("Jaeger", AgoraJaegerExporter);
