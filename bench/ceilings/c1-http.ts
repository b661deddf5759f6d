import http from "node:http";
import fs from "node:fs";

/**
 * Ceiling C1: a bare node:http server answering the same JSON body as
 * GET /api/v1/products/:id, serialized per request like any JSON API.
 * `node bench/ceilings/c1-http.ts <body.json>`; PORT=0 picks a free port.
 */
const body = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as unknown;

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`ready ${(server.address() as { port: number }).port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
