import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context, ServiceBroker } from "moleculer";
import type { Caller } from "../../contracts/access";
import type { RouteResponses } from "../../gateway/openapi";
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
 *
 * `resolveCaller` turns the Bearer token into the caller (the gateway's own, passed in).
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
export type ResolveCaller = (ctx: Context, token: string) => Promise<Caller | null>;

async function statusDenied(req: Req, resolveCaller: ResolveCaller): Promise<number | null> {
  const access = statusAccess();
  if (access === "off") return 404;
  if (access === "public") return null;
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!match || !req.$ctx) return 401;
  let caller: Caller | null = null;
  try {
    caller = await resolveCaller(req.$ctx, match[1]);
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

const JSON_TYPE = "application/json";
const error = (description: string) => ({
  description,
  type: JSON_TYPE,
  schema: { $ref: "#/components/schemas/Error" },
});
const readiness = {
  type: "object",
  required: ["status", "nodeID", "failing", "checks"],
  properties: {
    status: { type: "string", enum: ["ok", "unavailable"] },
    nodeID: { type: "string" },
    failing: { type: "array", items: { type: "string" } },
    checks: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["ok"],
        properties: { ok: { type: "boolean" }, error: { type: "string" } },
      },
    },
  },
};

/** What these routes answer, for the OpenAPI document, by "METHOD /path" as mounted at "/". */
export const statusResponses: Record<string, RouteResponses> = {
  "GET /healthz": {
    "200": {
      description: "This node is alive",
      type: JSON_TYPE,
      schema: {
        type: "object",
        required: ["status", "nodeID", "version", "uptime"],
        properties: {
          status: { type: "string", enum: ["ok"] },
          nodeID: { type: "string" },
          version: { type: "string" },
          uptime: { type: "integer", minimum: 0 },
        },
      },
    },
  },
  "GET /readyz": {
    "200": { description: "This node is ready", type: JSON_TYPE, schema: readiness },
    "503": {
      description: "Not ready: `failing` names the failing checks",
      type: JSON_TYPE,
      schema: {
        type: "object",
        required: ["status", "failing"],
        properties: { ...readiness.properties, error: { type: "string" } },
      },
    },
  },
  "GET /status": {
    "200": { description: "The live topology page", type: "text/html", schema: { type: "string" } },
    "404": error("STATUS_PAGE=off"),
  },
  "GET /status.json": {
    "200": { description: "The live topology", type: JSON_TYPE, schema: { type: "object" } },
    "401": error("STATUS_PAGE=admin and no admin Bearer token"),
    "403": error("STATUS_PAGE=admin and the token is not an admin's"),
    "404": error("STATUS_PAGE=off"),
  },
};

export const statusAliases = (resolveCaller: ResolveCaller) => ({
  "GET healthz": probe,
  "GET readyz": probe,

  "GET status"(_req: IncomingMessage, res: ServerResponse) {
    if (statusAccess() === "off") return sendJson(res, 404, { name: "NotFoundError", message: "Not found", code: 404 });
    send(res, 200, "text/html; charset=utf-8", statusPageHtml);
  },

  async "GET status.json"(this: Gateway, req: Req, res: ServerResponse) {
    const denied = await statusDenied(req, resolveCaller);
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
});
