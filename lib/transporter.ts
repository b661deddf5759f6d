import type { BrokerOptions } from "moleculer";
import { envInt, envOptional } from "./env";

/**
 * Builds the transporter from TRANSPORTER. NATS gets its options from the
 * environment so credentials stay out of URLs that could be logged:
 *
 *   TRANSPORTER          nats://host:4222[,nats://other:4222]  (none: single process)
 *   NATS_USER / NATS_PASSWORD, or NATS_TOKEN
 *   NATS_RECONNECT_WAIT  ms between reconnect attempts (1000); attempts never stop
 *
 * The largest message NATS accepts is a server setting (max_payload, 1 MB by
 * default); see docker/nats.conf.
 */
export function transporterFromEnv(): BrokerOptions["transporter"] {
  const value = envOptional("TRANSPORTER");
  if (!value) return null;
  if (!value.startsWith("nats://")) return value as BrokerOptions["transporter"];

  const options: Record<string, unknown> = {
    url: value,
    // A node that loses NATS keeps trying forever and recovers by itself.
    maxReconnectAttempts: -1,
    reconnectTimeWait: envInt("NATS_RECONNECT_WAIT", 1000),
    reconnectJitter: 250,
  };
  const user = envOptional("NATS_USER");
  const token = envOptional("NATS_TOKEN");
  if (user) Object.assign(options, { user, pass: envOptional("NATS_PASSWORD") });
  if (token) options.token = token;
  return { type: "NATS", options } as BrokerOptions["transporter"];
}
