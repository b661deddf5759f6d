/**
 * Patch: moleculer@0.15.2, reads the NATS transporter's private `client` (src/transporters/nats.js
 * sets it in connect()), the nats.js 2 client (nats@2.29.3).
 * Canary: test/unit/patches/moleculer.canary.test.ts
 * Upstream: no: a read, not a change; readiness (platform/observability/health.ts) asks the
 * client for a round trip and nats-reconnect.ts for its status events.
 */

/** The nats.js client of Moleculer's NATS transporter (`transit.tx.client`), which its typings leave out. */
export interface NatsClient {
  rtt(): Promise<number>;
  isClosed(): boolean;
  status(): AsyncIterable<{ type: string }>;
}

/** The transporter's NATS client, or undefined for another transporter (or before it connected). */
export function natsClientOf(transporter: object): NatsClient | undefined {
  const client: unknown = "client" in transporter ? transporter.client : undefined;
  return typeof client === "object" && client !== null && "rtt" in client && "isClosed" in client && "status" in client
    ? (client as NatsClient)
    : undefined;
}
