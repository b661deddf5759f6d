import type { Server } from "node:http";

/**
 * Stops an HTTP server for good: no new connections, and every open one cut,
 * idle or not. By the time a service stops, the broker has already waited
 * (SHUTDOWN_TIMEOUT) for the requests in flight; what is still open then is a
 * stuck, slow or half-closed client, and server.close() alone would wait for
 * it forever.
 */
export function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}
