// A MongoDB-wire-compatible test server (CongoDB from @push.rocks/smartmongo),
// run as its own process so tests reach it over TCP like a real MongoDB.
// Usage: node test/helpers/congo-server.mjs <port> [host: 127.0.0.1]. Prints "ready <port>".
import { CongoServer } from "@push.rocks/smartmongo/dist_ts/congodb/index.js";

const port = Number(process.argv[2] ?? 27017);
const host = process.argv[3] ?? "127.0.0.1";
const server = new CongoServer({ port, host });
await server.start();
process.stdout.write(`ready ${port}\n`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
