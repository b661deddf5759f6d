import { Errors, type Middleware, type ServiceBroker } from "moleculer";
import { natsClientOf, type NatsClient } from "./nats-client";

/**
 * What Moleculer 0.15's NATS transporter leaves out with nats.js 2: it hears
 * of a reconnect only in a debug log line, so after nats-server comes back
 *
 * - it never runs its own after-reconnect steps (`onConnected(true)`: send this
 *   node's INFO, ask for the others', then broadcast `$transporter.connected`
 *   with `wasReconnect`), and the caches that clear on that event to catch up
 *   with the invalidations they missed while cut off (Moleculer's MemoryLRU,
 *   the gateway's read cache) keep stale entries until their TTL;
 * - a call whose request or answer was inside nats-server when it went away is
 *   never answered: it waits out its whole timeout (REQUEST_TIMEOUT) before the
 *   retry policy sends it again.
 *
 * On the client's "reconnect" status this runs those steps, as the transporter
 * does for the other transporters, then fails the calls that were waiting when
 * the connection dropped with Moleculer's retryable RequestRejectedError: the
 * retry policy sends them again. That is what their timeout would have done,
 * minus the wait (a call may run twice either way; the actions that change
 * state are idempotent, docs/fault-isolation.md). A call sent again before the
 * node that answers it is back on the server is lost again and waits out its
 * timeout, as before.
 */

/** The parts of Moleculer's transit and NATS transporter used here (its typings leave them out). */
interface Transporter {
  onConnected(wasReconnect: boolean): Promise<unknown>;
}
interface PendingRequest {
  action: { name: string };
  nodeID?: string;
  reject(err: Error): void;
}
interface Transit {
  tx: Transporter;
  pendingRequests: Map<string, PendingRequest>;
  removePendingRequest(id: string): void;
}

function transitOf(broker: ServiceBroker): Transit | undefined {
  const transit: unknown = broker.transit;
  return typeof transit === "object" && transit !== null && "pendingRequests" in transit && "tx" in transit
    ? (transit as Transit)
    : undefined;
}

/** Fails the calls still waiting among `ids` so the retry policy sends them again. */
function failLostCalls(transit: Transit, ids: Iterable<string>): number {
  let failed = 0;
  for (const id of ids) {
    const req = transit.pendingRequests.get(id);
    if (!req) continue;
    transit.removePendingRequest(id);
    req.reject(new Errors.RequestRejectedError({ action: req.action.name, nodeID: req.nodeID }));
    failed++;
  }
  return failed;
}

async function watch(broker: ServiceBroker, transit: Transit, client: NatsClient): Promise<void> {
  let waiting: string[] = [];
  for await (const status of client.status()) {
    if (status.type === "disconnect") {
      waiting = [...transit.pendingRequests.keys()];
      broker.logger.warn(
        `Lost the NATS connection with ${waiting.length} call(s) waiting for an answer; reconnecting.`,
      );
    } else if (status.type === "reconnect") {
      const lost = waiting;
      waiting = [];
      // First the after-reconnect steps: they wait 500 ms for the other nodes' INFO, which gives
      // the nodes that answer those calls time to be back on the server as well.
      await transit.tx.onConnected(true);
      const failed = failLostCalls(transit, lost);
      broker.logger.info(`Reconnected to NATS; ${failed} call(s) sent before the cut are sent again.`);
    }
  }
}

export function NatsReconnectMiddleware(): Middleware {
  return {
    name: "NatsReconnect",
    started(this: unknown, broker: ServiceBroker) {
      const transit = transitOf(broker);
      const client = transit && natsClientOf(transit.tx);
      if (!transit || !client) return;
      watch(broker, transit, client).catch((err: unknown) =>
        broker.logger.warn("NATS status watch ended:", err instanceof Error ? err.message : String(err)),
      );
    },
  } as Middleware;
}
