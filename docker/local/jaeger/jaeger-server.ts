import http from "node:http";
import { startJaegerReceiver, type ReceivedSpan } from "./jaeger-receiver";

/**
 * Entry of the Jaeger test image (tests only): the collector stand-in on
 * :14268 and, on :16686, the two query routes the Docker tests and the
 * README use, shaped like Jaeger's: /api/services,
 * /api/traces?service=<name>[&operation=<name>] and /api/traces/<traceID>
 * ({ data: [{ traceID, spans }] }, startTime and duration in microseconds).
 * It keeps the newest MAX_SPANS spans in memory.
 */
const MAX_SPANS = 50_000;

function traces(spans: ReceivedSpan[], service: string | null, operation: string | null, traceID?: string) {
  const byTrace = new Map<string, ReceivedSpan[]>();
  for (const span of spans) {
    if (!traceID || span.traceId === traceID) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  }
  return [...byTrace.entries()]
    .filter(([, list]) =>
      list.some((s) => (!service || s.serviceName === service) && (!operation || s.operationName === operation)),
    )
    .map(([traceID, list]) => ({
      traceID,
      spans: list.map(({ spanId, parentSpanId, operationName, serviceName, nodeID, startMs, durationMs, tags }) => ({
        spanID: spanId,
        parentSpanID: parentSpanId,
        operationName,
        serviceName,
        nodeID,
        startTime: Math.round(startMs * 1000),
        duration: Math.round(durationMs * 1000),
        error: tags.error === true,
      })),
    }));
}

async function main() {
  const receiver = await startJaegerReceiver({ host: "0.0.0.0", port: 14268 });
  const query = http.createServer((req, res) => {
    if (receiver.spans.length > MAX_SPANS) receiver.spans.splice(0, receiver.spans.length - MAX_SPANS);
    const url = new URL(req.url ?? "/", "http://jaeger");
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname === "/api/services") {
      send(200, { data: [...new Set(receiver.spans.map((s) => s.serviceName))].sort() });
    } else if (url.pathname === "/api/traces") {
      send(200, { data: traces(receiver.spans, url.searchParams.get("service"), url.searchParams.get("operation")) });
    } else if (url.pathname.startsWith("/api/traces/")) {
      const traceID = url.pathname.slice("/api/traces/".length);
      send(200, { data: traces(receiver.spans, null, null, traceID) });
    } else {
      send(404, {
        errors: [
          { code: 404, msg: "this Jaeger stand-in answers /api/services, /api/traces and /api/traces/<traceID> only" },
        ],
      });
    }
  });
  query.listen(16686, "0.0.0.0");
  // PID 1 in its container: without a handler, `docker stop` waits for SIGKILL.
  const stop = () => {
    query.close();
    void receiver.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main();
