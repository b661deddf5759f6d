import fs from "node:fs";
import { connect } from "nats";

/**
 * Ceiling C2, the responder: answers every request on the subject with the
 * same JSON body as GET /api/v1/products/:id, serialized per request.
 * `node bench/ceilings/c2-responder.ts <nats url> <body.json>`
 */
const body = JSON.parse(fs.readFileSync(process.argv[3], "utf8")) as unknown;
const encoder = new TextEncoder();
async function main() {
  const nc = await connect({ servers: process.argv[2] });
  const sub = nc.subscribe("c2.product.get", { queue: "c2" });
  await nc.flush();
  console.log("ready");
  process.on("SIGTERM", () => nc.drain().then(() => process.exit(0)));
  for await (const msg of sub) msg.respond(encoder.encode(JSON.stringify(body)));
}

void main();
