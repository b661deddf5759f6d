import type { BrokerOptions } from "moleculer";
import { config } from "./index";

/**
 * Builds the transporter from TRANSPORTER. NATS gets its options from the
 * environment so credentials stay out of URLs that could be logged:
 *
 *   TRANSPORTER          nats://host:4222[,nats://other:4222]  (none: single process)
 *   NATS_USER / NATS_PASSWORD, or NATS_TOKEN
 *   NATS_RECONNECT_WAIT  ms between reconnect attempts (1000); attempts never stop
 *   NATS_PING_INTERVAL   ms between client pings (20000); 3 unanswered pings
 *                        count as a lost connection and start reconnecting
 *
 * The cluster name (the subject prefix) is NAMESPACE, set on the broker. The
 * largest message NATS accepts is a server setting (max_payload, 1 MB by
 * default); see docker/nats.conf.
 *
 * `connectionName` (the node ID) names the connection in the NATS server's
 * monitoring (/connz), so an operator can tell which node is which.
 */
export function transporterFromEnv(connectionName?: string): BrokerOptions["transporter"] {
  const value = config.TRANSPORTER;
  if (!value) return null;
  if (!value.startsWith("nats://")) return value as BrokerOptions["transporter"];

  const urls = value.split(",").map((u) => new URL(u.trim()));
  const options: Record<string, unknown> = {
    // `servers`, not `url`: Moleculer parses a `url` option into servers and
    // credentials and, doing so, overwrites user/pass with the URL's (none).
    servers: urls.map((u) => u.host),
    name: connectionName,
    // A node that loses NATS keeps trying forever and recovers by itself;
    // one that starts before NATS waits for it instead of failing its start.
    maxReconnectAttempts: -1,
    waitOnFirstConnect: true,
    reconnectTimeWait: config.NATS_RECONNECT_WAIT,
    reconnectJitter: 250,
    // A server that vanished without closing the socket (a dead VM, a
    // dropped NAT entry) is only noticed by unanswered pings; the client's
    // default (2 minutes × 2) would leave a node deaf for 4 minutes.
    pingInterval: config.NATS_PING_INTERVAL,
    maxPingOut: 3,
  };
  // Credentials in the URL (nats://user:pass@host) still work; the variables win.
  const user = config.NATS_USER ?? (decodeURIComponent(urls[0].username) || undefined);
  const pass = config.NATS_PASSWORD ?? (decodeURIComponent(urls[0].password) || undefined);
  const token = config.NATS_TOKEN;
  if (user) Object.assign(options, { user, pass });
  if (token) options.token = token;
  return { type: "NATS", options } as BrokerOptions["transporter"];
}
