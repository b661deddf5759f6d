import { currentRequestIds } from "./request-context";
import { redactSecrets } from "./redact";

/**
 * Log line formats for Moleculer's Console logger. Both add the request id
 * and trace id of the request being handled (from platform/observability/request-context.ts),
 * and both pass the message through redactSecrets().
 *
 *   json   one JSON object per line, for log shippers:
 *          {"ts":"…","level":"info","msg":"…","nodeID":"…","mod":"catalog","requestId":"…","traceId":"…"}
 *   short  for people: [12:00:00.000Z] INFO  CATALOG [req 1a2b…]: message
 *          (the trace id is shown too when it differs from the request id)
 */
export type LogFormat = "json" | "short";

interface Bindings {
  nodeID: string;
  ns: string;
  mod: string;
  svc?: string;
  ver?: string;
}

type Formatter = (
  type: string,
  args: unknown[],
  bindings: Bindings,
  helpers: { printArgs(args: unknown[]): unknown[] },
) => unknown[];

const errorText = (args: unknown[], printArgs: (a: unknown[]) => unknown[]) =>
  printArgs(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : a))).join(" ");

export function logFormatter(format: LogFormat): Formatter {
  if (format === "json") {
    return (type, args, bindings, { printArgs }) => {
      const ids = currentRequestIds();
      return [
        JSON.stringify({
          ts: new Date().toISOString(),
          level: type,
          msg: redactSecrets(errorText(args, printArgs)),
          nodeID: bindings.nodeID,
          ns: bindings.ns || undefined,
          mod: bindings.mod,
          ...(ids ?? {}),
        }),
      ];
    };
  }
  return (type, args, bindings, { printArgs }) => {
    const ids = currentRequestIds();
    const trace = ids && ids.traceId !== ids.requestId ? ` trace ${ids.traceId}` : "";
    const tag = ids ? ` [req ${ids.requestId}${trace}]` : "";
    return [
      `[${new Date().toISOString().substring(11)}] ${type.toUpperCase().padEnd(5)} ${bindings.mod.toUpperCase()}${tag}:`,
      redactSecrets(errorText(args, printArgs)),
    ];
  };
}
