/**
 * Captures what real moleculer nodes put on the wire, as fixtures for the Go
 * node's protocol tests (services/recommendations/internal/moleculer/testdata/).
 *
 *   npx tsx scripts/capture-moleculer-packets.ts
 *
 * Starts nats-server, two brokers configured like Agora's (NATS, JSON
 * serializer, a namespace, tracing on), and records one packet of each kind
 * exactly as published: DISCOVER, INFO, HEARTBEAT, REQ, RES (success and
 * error), EVENT (balanced by group, and broadcast), PING, PONG, DISCONNECT.
 * Re-run it when moleculer is upgraded; the Go tests then say what changed.
 */
import fs from "node:fs";
import path from "node:path";
import { Errors, ServiceBroker, type BrokerOptions } from "moleculer";
import { connect } from "nats";
import { startNats, stopAll } from "../test/helpers/processes";

const OUT = path.resolve(__dirname, "../services/recommendations/internal/moleculer/testdata");
const NAMESPACE = "fixtures";

interface Captured {
  subject: string;
  raw: string;
}

function broker(nodeID: string, url: string): ServiceBroker {
  const options: BrokerOptions = {
    namespace: NAMESPACE,
    nodeID,
    transporter: { type: "NATS", options: { url } },
    serializer: "JSON",
    logger: false,
    heartbeatInterval: 1,
    heartbeatTimeout: 4,
    // An exporter that keeps nothing: tracing on, so REQ/EVENT carry tracing: true.
    tracing: { enabled: true, exporter: { type: "Event", options: { broadcast: false } } },
  };
  return new ServiceBroker(options);
}

async function main() {
  const nats = await startNats();
  const spy = await connect({ servers: nats.url });
  const seen: Captured[] = [];
  const sub = spy.subscribe(`MOL-${NAMESPACE}.>`);
  void (async () => {
    for await (const msg of sub) seen.push({ subject: msg.subject, raw: Buffer.from(msg.data).toString() });
  })();

  const greeter = broker("fixture-greeter", nats.url);
  greeter.createService({
    name: "greeter",
    actions: {
      hello: {
        params: { name: { type: "string", min: 1 } },
        handler: (ctx) => ({ message: `Hello ${(ctx.params as { name: string }).name}` }),
      },
      refuse: () => {
        throw new Errors.MoleculerClientError("Not allowed", 403, "FORBIDDEN", { reason: "fixture" });
      },
    },
    events: {
      "order.confirmed": { group: "greeter", handler: () => undefined },
    },
  });
  const caller = broker("fixture-caller", nats.url);
  // A call made inside an action: its REQ carries parentID, level 2, caller and tracing.
  caller.createService({
    name: "relay",
    actions: { hello: (ctx) => ctx.call("greeter.hello", { name: "Grace" }) },
  });
  await greeter.start();
  await caller.start();
  await caller.waitForServices("greeter");
  await new Promise((r) => setTimeout(r, 1500)); // at least one heartbeat each

  await caller.call("greeter.hello", { name: "Ada" }, { meta: { user: "u1" }, requestID: "req-fixture-1" });
  await caller.call("relay.hello", {}, { requestID: "req-fixture-2" });
  await caller.call("greeter.hello", { name: "" }).catch(() => undefined);
  await caller.call("greeter.refuse", {}).catch(() => undefined);
  await caller.emit("order.confirmed", { orderId: "o1", items: [{ productId: "p1", quantity: 2 }] });
  await caller.broadcast("order.confirmed", { orderId: "o2", items: [] });
  await caller.ping("fixture-greeter");
  await new Promise((r) => setTimeout(r, 300));
  await greeter.stop();
  await new Promise((r) => setTimeout(r, 300));
  await caller.stop();
  await spy.drain();
  await stopAll();

  const prefix = `MOL-${NAMESPACE}.`;
  const pick = (name: string, match: (c: Captured, p: Record<string, unknown>) => boolean) => {
    const found = seen.find((c) => match(c, JSON.parse(c.raw) as Record<string, unknown>));
    if (!found) throw new Error(`no ${name} packet captured`);
    return [name, found] as const;
  };
  const typeOf = (c: Captured) => c.subject.slice(prefix.length).split(".")[0];
  const fixtures = [
    pick("discover", (c) => c.subject === `${prefix}DISCOVER`),
    pick("info", (c, p) => typeOf(c) === "INFO" && p.sender === "fixture-greeter" && (p.services as []).length > 1),
    pick("heartbeat", (c) => typeOf(c) === "HEARTBEAT"),
    pick("request", (c, p) => typeOf(c) === "REQ" && p.action === "greeter.hello" && p.requestID === "req-fixture-1"),
    pick("request-nested", (c, p) => typeOf(c) === "REQ" && p.requestID === "req-fixture-2"),
    pick("response-success", (c, p) => typeOf(c) === "RES" && p.success === true),
    pick("response-validation-error", (c, p) => typeOf(c) === "RES" && p.success === false && /Validation/.test(c.raw)),
    pick("response-client-error", (c, p) => typeOf(c) === "RES" && p.success === false && /FORBIDDEN/.test(c.raw)),
    pick("event-balanced", (c, p) => typeOf(c) === "EVENT" && p.broadcast === false),
    pick("event-broadcast", (c, p) => typeOf(c) === "EVENT" && p.broadcast === true),
    pick("ping", (c) => typeOf(c) === "PING"),
    pick("pong", (c) => typeOf(c) === "PONG"),
    pick("disconnect", (c) => typeOf(c) === "DISCONNECT"),
  ];
  fs.mkdirSync(OUT, { recursive: true });
  const subjects: Record<string, string> = {};
  for (const [name, captured] of fixtures) {
    fs.writeFileSync(path.join(OUT, `${name}.json`), captured.raw);
    subjects[name] = captured.subject;
  }
  const versions = {
    moleculer: ServiceBroker.MOLECULER_VERSION,
    protocol: ServiceBroker.PROTOCOL_VERSION,
    namespace: NAMESPACE,
    subjects,
  };
  fs.writeFileSync(path.join(OUT, "subjects.json"), JSON.stringify(versions, null, 2) + "\n");
  console.log(`wrote ${fixtures.length} fixtures to ${path.relative(process.cwd(), OUT)}`);
}

main().catch(async (err) => {
  console.error(err);
  await stopAll();
  process.exit(1);
});
