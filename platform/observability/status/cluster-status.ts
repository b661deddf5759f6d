import type { ServiceBroker } from "moleculer";
import { config } from "../../config";
import type { NodeObservation } from "../node-probe";

/**
 * The data of the live topology page (/status, /status.json): every node the
 * gateway's registry sees as available, the services on each, how many
 * instances each service has, and what each node says about its own health
 * and request rate ($node.observe). A node that vanished drops out of the
 * registry after the heartbeat timeout (HEARTBEAT_TIMEOUT), and so off the page.
 */

export type StatusAccess = "public" | "admin" | "off";

/** STATUS_PAGE: public (default in dev), admin (default in production: an admin Bearer token), or off. */
export function statusAccess(): StatusAccess {
  return config.STATUS_PAGE;
}

export interface NodeStatus {
  nodeID: string;
  hostname: string | null;
  /** The node serving this page. */
  gateway: boolean;
  services: string[];
  health: "ready" | "not ready" | "unreachable";
  failing: string[];
  requestRate: number | null;
  cpu: number | null;
  memoryMB: number | null;
  uptime: number | null;
}

export interface ServiceStatus {
  name: string;
  instances: number;
  nodes: string[];
}

export interface ClusterStatus {
  generatedAt: string;
  namespace: string;
  nodes: NodeStatus[];
  services: ServiceStatus[];
  totals: { nodes: number; services: number; requestRate: number; notReady: number };
}

interface RegistryNode {
  id: string;
  hostname: string | null;
  available: boolean;
  local: boolean;
  cpu?: number | null;
  services: { name?: string }[];
}

const PROBE_TIMEOUT_MS = 1500;

async function observe(broker: ServiceBroker, nodeID: string): Promise<NodeObservation | null> {
  try {
    return await broker.call<NodeObservation, object>(
      "$node.observe",
      {},
      { nodeID, timeout: PROBE_TIMEOUT_MS, retries: 0 },
    );
  } catch {
    return null;
  }
}

export async function clusterStatus(broker: ServiceBroker): Promise<ClusterStatus> {
  const registryNodes: RegistryNode[] = broker.registry
    .getNodeList({ onlyAvailable: true, withServices: true })
    .filter((n) => n.available);

  const observations = await Promise.all(registryNodes.map((n) => observe(broker, n.id)));

  const nodes: NodeStatus[] = registryNodes.map((n, i) => {
    const seen = observations[i];
    const services = n.services
      .map((s) => s.name ?? "")
      .filter((name) => name !== "" && !name.startsWith("$"))
      .sort();
    return {
      nodeID: n.id,
      hostname: n.hostname ?? null,
      gateway: n.local,
      services,
      health: seen ? (seen.readiness.status === "ok" ? "ready" : "not ready") : "unreachable",
      failing: seen?.readiness.failing ?? [],
      requestRate: seen?.requestRate ?? null,
      cpu: seen?.cpuPercent ?? n.cpu ?? null,
      memoryMB: seen?.memoryMB ?? null,
      uptime: seen?.uptime ?? null,
    };
  });
  nodes.sort((a, b) => a.nodeID.localeCompare(b.nodeID));

  const byService = new Map<string, string[]>();
  for (const node of nodes) {
    for (const name of node.services) byService.set(name, [...(byService.get(name) ?? []), node.nodeID]);
  }
  const services = [...byService.entries()]
    .map(([name, ids]) => ({ name, instances: ids.length, nodes: ids }))
    .sort((a, b) => a.name.localeCompare(b.name));

  return {
    generatedAt: new Date().toISOString(),
    namespace: broker.namespace,
    nodes,
    services,
    totals: {
      nodes: nodes.length,
      services: services.length,
      requestRate: Math.round(nodes.reduce((sum, n) => sum + (n.requestRate ?? 0), 0) * 10) / 10,
      notReady: nodes.filter((n) => n.health !== "ready").length,
    },
  };
}
