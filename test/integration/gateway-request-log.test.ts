import { Loggers, type LoggerConfig, type LogLevels, type ServiceSchema } from "moleculer";
import { get } from "../helpers/http";
import { serviceSchema, startNode, type TestNode } from "../helpers/node";

/**
 * The gateway skips formatting moleculer-web's request lines when the logger
 * would drop them (platform/gateway/request-log.ts); these check that every
 * line still appears wherever its level is on.
 */

/** Level per module (upper case, as Moleculer's LOGLEVEL option), "**" for the rest. */
type Levels = Record<string, LogLevels>;

/** Moleculer's Console logger minus the console: keeps each line it would write. */
class CollectingLogger extends Loggers.Base<{ level?: LogLevels }> {
  readonly lines: string[] = [];

  constructor(private readonly levels: Levels) {
    super({});
  }

  override getLogLevel(mod: string): LogLevels | null {
    return this.levels[mod.toUpperCase()] ?? this.levels["**"] ?? null;
  }

  override getLogHandler(bindings: { mod: string }) {
    const level = this.getLogLevel(bindings.mod);
    if (!level) return null;
    const max = Loggers.Base.LEVELS.indexOf(level);
    return (type: string, args: unknown[]) => {
      if (Loggers.Base.LEVELS.indexOf(type) <= max) this.lines.push(`${bindings.mod} ${type} ${args.join(" ")}`);
    };
  }
}

async function gatewayWith(levels: Levels, apiSettings: Record<string, unknown> = {}) {
  const logger = new CollectingLogger(levels);
  const node = await startNode(["catalog", "inventory"], { logger: logger as unknown as LoggerConfig });
  const api = serviceSchema("api");
  node.broker.createService({ ...api, settings: { ...api.settings, ...apiSettings } } as ServiceSchema);
  await node.broker.waitForServices(["api"]);
  const server = (node.broker.getLocalService("api") as unknown as { server: import("node:http").Server }).server;
  const port = (server.address() as import("node:net").AddressInfo).port;
  return { node, logger, url: `http://127.0.0.1:${port}` };
}

const requestLines = (lines: string[]) => lines.filter((l) => /^api \w+ +(=>|<=|Call|Alias)/.test(l.trim()));

describe("gateway request lines", () => {
  let node: TestNode | undefined;
  afterEach(async () => {
    await node?.stop();
    node = undefined;
  });

  async function readProduct(url: string) {
    const list = await get<{ rows: { id: string }[] }>(url, "/api/v1/products?pageSize=1");
    expect(list.status).toBe(200);
    const product = await get(url, `/api/v1/products/${list.body.rows[0].id}`);
    expect(product.status).toBe(200);
    return list.body.rows[0].id;
  }

  it("at info, no line per request", async () => {
    const started = await gatewayWith({ "**": "info" });
    node = started.node;
    await readProduct(started.url);
    expect(requestLines(started.logger.lines)).toEqual([]);
  });

  it("with API=debug, the request, its alias and the response", async () => {
    const started = await gatewayWith({ API: "debug", "**": "info" });
    node = started.node;
    const id = await readProduct(started.url);
    const lines = started.logger.lines.join("\n");
    expect(lines).toContain(`api debug => GET /api/v1/products/${id}`);
    expect(lines).toMatch(/api debug {3}Alias: +GET \/api\/v1\/products\/:id => catalog\.get/);
    expect(lines).toMatch(new RegExp(`api debug <= 200 GET /api/v1/products/${id} \\[\\+[\\d.]+ ms\\]`));
  });

  it("with ACCESS_LOG's setting at info, one line per response", async () => {
    const started = await gatewayWith({ "**": "info" }, { logResponse: "info" });
    node = started.node;
    const id = await readProduct(started.url);
    const lines = requestLines(started.logger.lines);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^api info <= 200 GET \/api\/v1\/products\?pageSize=1 \[\+[\d.]+ ms\]$/);
    expect(lines[1]).toMatch(new RegExp(`^api info <= 200 GET /api/v1/products/${id} \\[\\+[\\d.]+ ms\\]$`));
  });
});
