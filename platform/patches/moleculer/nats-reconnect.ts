import { Errors, type Middleware, type ServiceBroker } from "moleculer";
import { natsClientOf, type NatsClient } from "./nats-client";

/**
 * Patch: moleculer@0.15.2, the NATS transporter's reconnect (src/transporters/nats.js) with
 * nats@2.29.3; reads the transit's private pendingRequests and calls the transporter's
 * onConnected(true) and the transit's removePendingRequest().
 * Canary: test/unit/patches/moleculer.canary.test.ts
 * Upstream: the first half yes: nats.js 2's status() iterator ("reconnect") is where the
 * transporter should call this.onConnected(true), as it does for its other clients; failing
 * the calls lost in the cut is Agora's retry choice (its actions are idempotent) and stays.
 * Measured: test/cluster/nats-restart.test.ts failed before it (no answer within 60 s with a
 * 10-minute timeout; the other gateway served the old stock), commit ff22b75.
 *
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
 * does for the other transporters, then fails the calls sent before the
 * reconnect that are still waiting (those waiting when the connection dropped,
 * and those sent during the cut, which nats.js holds and sends on reconnect)
 * with Moleculer's retryable RequestRejectedError: the retry policy sends them
 * again. That is what their timeout would have done,
 * minus the wait (a call may run twice either way; the actions that change
 * state are idempotent, docs/fault-isolation.md).
 *
 * The nodes do not reconnect at the same moment (each retries every
 * NATS_RECONNECT_WAIT, with jitter). A call sent to a node that is not back on
 * the server yet - sent during the cut and flushed by nats.js on reconnect, or
 * sent again by the step above - finds no subscriber and is dropped. Every
 * node announces its (re)connection with a DISCOVER once its subscriptions are
 * in place, so a DISCOVER from a node fails the calls still waiting for that
 * node in the same way: they are sent again, now to a node that receives them.
 * (A node also sends a DISCOVER to one it does not know; a call that node was
 * answering then runs twice, as above.)
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

/** The ids of the calls waiting for an answer from `nodeID`. */
function callsTo(transit: Transit, nodeID: string): string[] {
  const ids: string[] = [];
  for (const [id, req] of transit.pendingRequests) if (req.nodeID === nodeID) ids.push(id);
  return ids;
}

async function watch(broker: ServiceBroker, transit: Transit, client: NatsClient): Promise<void> {
  for await (const status of client.status()) {
    if (status.type === "disconnect") {
      broker.logger.warn(
        `Lost the NATS connection with ${transit.pendingRequests.size} call(s) waiting for an answer; reconnecting.`,
      );
    } else if (status.type === "reconnect") {
      // Every call still waiting was sent before this reconnect: before the cut (its request or
      // answer may have died in nats-server) or during it (nats.js sends those now, and nats-server
      // may take them before the answering node's subscriptions, even when that node reconnected
      // first and so sends no DISCOVER this node would hear).
      const lost = [...transit.pendingRequests.keys()];
      // First the after-reconnect steps: they wait 500 ms for the other nodes' INFO, which gives
      // the calls that did arrive time to be answered.
      await transit.tx.onConnected(true);
      const failed = failLostCalls(transit, lost);
      broker.logger.info(`Reconnected to NATS; ${failed} call(s) sent before the reconnect are sent again.`);
    }
  }
}

interface Packet {
  payload?: { sender?: string };
}

type MessageHandler = (cmd: string, packet: Packet) => Promise<boolean>;

export function NatsReconnectMiddleware(): Middleware {
  let broker: ServiceBroker | undefined;
  let transit: Transit | undefined;
  const middleware: Middleware = {
    name: "NatsReconnect",
    async started(startedBroker: ServiceBroker) {
      broker = startedBroker;
      transit = transitOf(startedBroker);
      const client = transit && natsClientOf(transit.tx);
      if (!transit || !client) {
        transit = undefined;
        return;
      }
      watch(startedBroker, transit, client).catch((err: unknown) =>
        startedBroker.logger.warn("NATS status watch ended:", err instanceof Error ? err.message : String(err)),
      );
    },
  };
  const transitMessageHandler = (next: MessageHandler): MessageHandler => {
    return (cmd, packet) => {
      const sender = packet.payload?.sender;
      if (cmd === "DISCOVER" && transit && sender && sender !== broker?.nodeID) {
        const failed = failLostCalls(transit, callsTo(transit, sender));
        if (failed > 0)
          broker?.logger.info(`Node '${sender}' is back on NATS; ${failed} call(s) to it are sent again.`);
      }
      return next(cmd, packet);
    };
  };
  // Moleculer's typings declare this hook as returning the handler's result; Moleculer calls it
  // with the handler and uses what it returns as the new handler (src/transit.js, wrapMethod;
  // the canary checks it). Object.assign adds it without claiming the typings' shape.
  return Object.assign(middleware, { transitMessageHandler });
}
