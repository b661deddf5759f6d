import type { IncomingMessage, ServerResponse } from "node:http";
import { acceptedRequestId, newTraceId, parseTraceParent, traceIdOf } from "../observability/request-context";

/**
 * Root call options of every HTTP request (moleculer-web `rootCallOptions`).
 * Moleculer uses one id per request for both: the request id (echoed in
 * X-Request-Id, on every log line) is the trace id of its spans.
 *
 * - An incoming W3C `traceparent` continues that trace: its trace id becomes
 *   the request id, its span the parent of ours, its sampled flag decides.
 * - Else a client's X-Request-Id (or X-Correlation-Id) is the request id, if
 *   it is short and plain enough to log; its trace id is derived from it
 *   (platform/observability/request-context.ts traceIdOf).
 * - Else a fresh 128-bit id.
 *
 * The response carries X-Request-Id (moleculer-web) and X-Trace-Id, the id
 * to look up in Jaeger. Probes and the status page are not traced: they are
 * polled every few seconds and would bury the traces that matter.
 */
const UNTRACED = /^\/(healthz|readyz|status(\.json)?)(\?|$)/;

interface RootCallOptions {
  requestID?: string;
  parentSpan?: { id: string | null; traceID: string; sampled: boolean };
}

export function requestCallOptions(options: RootCallOptions, req: IncomingMessage, res: ServerResponse): void {
  const parent = parseTraceParent(req.headers.traceparent);
  let requestId: string;
  let traceId: string;
  if (parent) {
    requestId = traceId = parent.traceId;
    options.parentSpan = { id: parent.parentSpanId, traceID: requestId, sampled: parent.sampled };
  } else {
    const clientId =
      acceptedRequestId(req.headers["x-request-id"]) ?? acceptedRequestId(req.headers["x-correlation-id"]);
    // A fresh id is a trace id already (32 hex): no need to derive one.
    requestId = clientId ?? newTraceId();
    traceId = clientId === undefined ? requestId : traceIdOf(clientId);
    options.requestID = requestId;
    if (UNTRACED.test(req.url ?? "")) options.parentSpan = { id: null, traceID: requestId, sampled: false };
  }
  res.setHeader("X-Trace-Id", traceId);
}
