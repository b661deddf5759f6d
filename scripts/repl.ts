/**
 * `npm run repl`: a REPL-only node. It runs no service of its own and joins
 * the cluster named by TRANSPORTER (and NAMESPACE), so `nodes`, `services`,
 * `actions`, `call` and `dcall` act on the running cluster:
 *
 *   TRANSPORTER=nats://127.0.0.1:4222 npm run repl
 *
 * Compiled to dist/scripts/repl.js as well, so a production image can run it:
 * `node dist/scripts/repl.js`.
 */
import os from "node:os";
import { adjustEnv, config } from "../platform/config";

adjustEnv((env) => ({
  // Broker logs would interleave with the REPL's tables; warnings still show.
  LOGLEVEL: "warn",
  ...env,
  // A REPL is not a member to scrape or probe: no metrics or health listener.
  METRICS: "false",
  HEALTH_PORT: "0",
}));

async function main(): Promise<void> {
  // Imported after the environment is adjusted: the broker options read it when loaded.
  const { ServiceBroker } = await import("moleculer");
  const { default: brokerOptions } = await import("../moleculer.config");
  if (!brokerOptions.transporter) {
    process.stderr.write("TRANSPORTER is not set: this REPL would be alone. e.g. TRANSPORTER=nats://127.0.0.1:4222\n");
    process.exit(2);
  }
  const broker = new ServiceBroker({
    ...brokerOptions,
    nodeID: config.NODE_ID ?? `repl-${os.hostname()}-${process.pid}`,
  });
  await broker.start();
  // Ctrl+D (or the end of piped input) stops the broker and exits.
  broker.repl();
}

main().catch((err) => {
  process.stderr.write(`${String(err?.stack ?? err)}\n`);
  process.exit(1);
});
