import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context, ServiceBroker } from "moleculer";
import { call, type Caller } from "../../../contracts";
import { answerProbe } from "../health";
import { clusterStatus, statusAccess } from "./cluster-status";
import { statusPageHtml } from "./status-page";

/**
 * The gateway's own probes and the live topology page, as moleculer-web
 * aliases of its "/" route:
 *
 *   GET /healthz      liveness of this node
 *   GET /readyz       readiness of this node: 200, or 503 naming the failing checks
 *   GET /status       the live topology page (HTML)
 *   GET /status.json  its data (STATUS_PAGE=admin: admin Bearer token only)
 */
type Req = IncomingMessage & { $ctx?: Context };
type Gateway = { broker: ServiceBroker };

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, body: object) =>
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body));

/** null when the caller may see the status data, else the HTTP status to answer. */
async function statusDenied(req: Req): Promise<number | null> {
  const access = statusAccess();
  if (access === "off") return 404;
  if (access === "public") return null;
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!match || !req.$ctx) return 401;
  let caller: Caller | null = null;
  try {
    caller = await call(req.$ctx, "users.resolveToken", { token: match[1] });
  } catch {
    return 401;
  }
  if (!caller) return 401;
  return caller.role === "admin" ? null : 403;
}

function probe(this: Gateway, req: IncomingMessage, res: ServerResponse) {
  // Never leave a request unanswered: one the probe does not take waits forever and holds up shutdown.
  if (!answerProbe(this.broker, req, res))
    sendJson(res, 404, { name: "NotFoundError", message: "Not found", code: 404 });
}

export const statusAliases = {
  "GET healthz": probe,
  "GET readyz": probe,

  "GET status"(_req: IncomingMessage, res: ServerResponse) {
    if (statusAccess() === "off") return sendJson(res, 404, { name: "NotFoundError", message: "Not found", code: 404 });
    send(res, 200, "text/html; charset=utf-8", statusPageHtml);
  },

  async "GET status.json"(this: Gateway, req: Req, res: ServerResponse) {
    const denied = await statusDenied(req);
    if (denied) {
      const message = denied === 404 ? "Not found" : denied === 401 ? "Admin token required" : "Forbidden";
      return sendJson(res, denied, { name: "StatusPageError", message, code: denied });
    }
    try {
      sendJson(res, 200, await clusterStatus(this.broker));
    } catch (err) {
      this.broker.logger.error("Status page data failed", err);
      sendJson(res, 500, { name: "InternalServerError", message: "Internal Server Error", code: 500 });
    }
  },
};
