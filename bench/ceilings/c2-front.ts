import http from "node:http";
import { connect } from "nats";

/**
 * Ceiling C2, the front: a bare node:http server that forwards each request
 * over raw NATS request/reply to the responder process and answers with its
 * reply. `node bench/ceilings/c2-front.ts <nats url>`; PORT=0 picks a free port.
 */
async function main() {
  const nc = await connect({ servers: process.argv[2] });
  const server = http.createServer((req, res) => {
    nc.request("c2.product.get", new TextEncoder().encode(req.url ?? "/"), { timeout: 10_000 }).then(
      (msg) => {
        res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
        res.end(msg.data);
      },
      () => {
        res.writeHead(504);
        res.end();
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    console.log(`ready ${(server.address() as { port: number }).port}`);
  });
  process.on("SIGTERM", () => server.close(() => nc.close().then(() => process.exit(0))));
}

void main();
