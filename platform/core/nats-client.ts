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
