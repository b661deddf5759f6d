import type { ActionHandler, Context, Middleware, ServiceBroker } from "moleculer";

/**
 * Fast failover for calls waiting on a node that died without a word (a
 * `docker kill`, an OOM kill, a pulled cable). Moleculer notices such a node
 * only when its heartbeats stop (HEARTBEAT_TIMEOUT, up to twice that), and
 * until then a call sent to it just waits. Here, a call to another node still
 * waiting after `afterMs` has that node pinged; no pong within `timeoutMs`
 * and the node is dropped at once, through Moleculer's own path for a node
 * that stopped heart-beating: its endpoints leave the registry and the calls
 * waiting on it are rejected as retryable, so the retry policy sends them to
 * another replica. A node that was only slow answers the ping and is left
 * alone; one dropped wrongly (its event loop stalled longer than the ping
 * timeout) is asked for its INFO at once and rejoins as soon as it answers,
 * not at its next heartbeat. A node is dropped only when another
 * node offers the waiting call's action: with no replica to retry on, a drop
 * cannot help the call, and a wrong one (pings are slow on a busy host) would
 * turn the only replica of a service away until its next heartbeat.
 *
 * Cost: nothing for calls answered within `afterMs`; one ping (two small NATS
 * messages) per slower call's node, at most one in flight per node.
 */
export interface DeadNodeProbeOptions {
  afterMs: number;
  timeoutMs: number;
}

export function deadNodeProbe({ afterMs, timeoutMs }: DeadNodeProbeOptions): Middleware {
  let broker: ServiceBroker;
  /** One ping in flight per node, shared by every call waiting on it. */
  const probing = new Set<string>();

  /** Another node offers the action, so a call dropped from `nodeID` has somewhere to go. */
  function hasOtherReplica(actionName: string, nodeID: string): boolean {
    const list = broker.registry.getActionEndpoints(actionName);
    return !!list?.endpoints.some((ep) => ep.node.id !== nodeID && ep.isAvailable);
  }

  function probe(nodeID: string, actionName: string, waitedMs: number): void {
    if (probing.has(nodeID)) return;
    probing.add(nodeID);
    broker
      .ping(nodeID, timeoutMs)
      .then((pong) => {
        const node = broker.registry.nodes.get(nodeID);
        if (pong || !node?.available || !hasOtherReplica(actionName, nodeID)) return;
        broker.logger.warn(
          `Node '${nodeID}' did not answer a ping within ${timeoutMs} ms while a call waited ${waitedMs} ms on it: ` +
            "dropped now, its calls retried elsewhere (asked for its INFO: it rejoins as soon as it answers, if alive).",
        );
        broker.registry.nodes.disconnected(nodeID, true);
        // A node that was only stalled (a container starting beside it, a long GC) answers this
        // with its INFO and is back at once, not at its next heartbeat: until then it is missing,
        // and a rollout may be stopping the replica that was left.
        void broker.transit?.discoverNode(nodeID);
      })
      .catch((err: Error) => broker.logger.warn(`Ping of node '${nodeID}' failed: ${err.message}`))
      .finally(() => probing.delete(nodeID));
  }

  return {
    name: "DeadNodeProbe",
    created(b: ServiceBroker) {
      broker = b;
    },
    remoteAction(next: ActionHandler): ActionHandler {
      return function (this: ThisParameterType<ActionHandler>, ctx: Context) {
        const nodeID = ctx.nodeID;
        const call = next.call(this, ctx);
        const actionName = ctx.action?.name;
        if (!nodeID || !actionName) return call;
        const timer = setTimeout(() => probe(nodeID, actionName, afterMs), afterMs);
        return call.finally(() => clearTimeout(timer));
      };
    },
  };
}
