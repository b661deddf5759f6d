import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, randomUUID } from "node:crypto";
import type { ActionHandler, Context, Middleware } from "moleculer";

type EventHandler = (ctx: Context) => void | Promise<void>;

/**
 * The Moleculer context of the action or event handler that is running now,
 * so that log lines written anywhere below a handler (services, rule
 * modules, moleculer-web's request log) can carry its request and trace id.
 * Moleculer 0.15 ships no async-local context of its own (its AsyncStorage
 * class is commented out in the broker), so this keeps one with Node's
 * AsyncLocalStorage.
 */
const storage = new AsyncLocalStorage<Context>();

export function currentContext(): Context | undefined {
  return storage.getStore();
}

/** Runs every local action and event handler inside its context. */
export const RequestContextMiddleware: Middleware = {
  name: "RequestContext",
  localAction(next: ActionHandler): ActionHandler {
    return function (this: ThisParameterType<ActionHandler>, ctx: Context) {
      return storage.run(ctx, () => next.call(this, ctx));
    };
  },
  localEvent(next: EventHandler): EventHandler {
    return (ctx: Context) => storage.run(ctx, () => next(ctx));
  },
};

const HEX_TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * The W3C/Jaeger trace id (32 lowercase hex) of a Moleculer request id.
 * Moleculer uses the request id as the trace id; ours is either a UUID, the
 * trace id of an incoming `traceparent`, or a client's X-Request-Id. Ids that
 * are not already 128-bit hex are hashed, so the same request id always maps
 * to the same trace.
 */
export function traceIdOf(requestId: string): string {
  const compact = requestId.replace(/-/g, "").toLowerCase();
  if (HEX_TRACE_ID.test(compact)) return compact;
  return createHash("sha256").update(requestId).digest("hex").slice(0, 32);
}

/** The ids a log line of the current request carries (none outside a request). */
export function currentRequestIds(): { requestId: string; traceId: string } | undefined {
  const requestId = storage.getStore()?.requestID;
  return requestId ? { requestId, traceId: traceIdOf(requestId) } : undefined;
}

export interface TraceParent {
  traceId: string;
  parentSpanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Parses a W3C `traceparent` header; invalid or all-zero ids give undefined. */
export function parseTraceParent(header: string | string[] | undefined): TraceParent | undefined {
  if (typeof header !== "string") return undefined;
  const m = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!m || m[1] === "ff" || /^0+$/.test(m[2]) || /^0+$/.test(m[3])) return undefined;
  return { traceId: m[2], parentSpanId: m[3], sampled: (parseInt(m[4], 16) & 1) === 1 };
}

const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * A client's X-Request-Id, if it is safe to log and echo: at most 128
 * visible characters without spaces or quotes (no log or header injection).
 */
export function acceptedRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === "string" && REQUEST_ID.test(header) ? header : undefined;
}

/**
 * A fresh 128-bit trace id. randomUUID draws from a cached entropy pool;
 * randomBytes(16) made a system call per request (4% of the gateway's CPU
 * under load, bench/README.md). 122 random bits are plenty for a trace id.
 */
export function newTraceId(): string {
  return randomUUID().replace(/-/g, "");
}
