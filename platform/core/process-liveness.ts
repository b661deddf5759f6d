import type { ServiceBroker } from "moleculer";

/**
 * Names this process among every process that ever ran under its node ID
 * (`<instanceID>@<nodeID>`): a replica restarted under the same node ID is
 * another process, and work the old one held is not the new one's.
 */
export function processId(broker: ServiceBroker): string {
  return `${broker.instanceID}@${broker.nodeID}`;
}

/**
 * Whether the process `id` (from processId) is gone: killed or restarted (its
 * node is not in this node's registry, or is under another instance), or hung
 * (no pong within `pingTimeoutMs`). A node that is only slow to answer a ping
 * is judged gone too: callers must be fine with that (the work it held is idempotent).
 */
export async function processGone(broker: ServiceBroker, id: string, pingTimeoutMs: number): Promise<boolean> {
  const at = id.indexOf("@");
  const instanceID = id.slice(0, at);
  const nodeID = id.slice(at + 1);
  if (nodeID === broker.nodeID) return instanceID !== broker.instanceID;
  const node = broker.registry.nodes.get(nodeID);
  if (!node?.available || node.instanceID !== instanceID) return true;
  return !(await broker.ping(nodeID, pingTimeoutMs));
}
