import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/**
 * What the gateway answers a request Node's HTTP parser refuses before any
 * handler sees it: headers or URL over Node's 16 KB limit, a method Node does
 * not know, bytes that are not HTTP. Node's own answer is a bare status line
 * without a body; this one is the JSON error every other refusal gets, then
 * the connection closes (the parser cannot find the next request on it).
 */
const REFUSALS: Record<string, { status: number; reason: string; type: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: "Request Header Fields Too Large",
    type: "HEADERS_TOO_LARGE",
    message: "The request's headers and URL together are over 16 KB",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: "Request Timeout",
    type: "REQUEST_TIMEOUT",
    message: "The request did not arrive in time",
  },
};

const MALFORMED = {
  status: 400,
  reason: "Bad Request",
  type: "MALFORMED_REQUEST",
  message: "The request is not valid HTTP",
};

/** A HEAD request's answer has no body (the client would read one as garbage after it). */
export function clientErrorResponse(code: string | undefined, head = false): string {
  const { status, reason, type, message } = (code && REFUSALS[code]) || MALFORMED;
  const body = JSON.stringify({ name: "ClientError", message, code: status, type });
  return (
    `HTTP/1.1 ${status} ${reason}\r\n` +
    "Content-Type: application/json; charset=utf-8\r\n" +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    "Connection: close\r\n\r\n" +
    (head ? "" : body)
  );
}

const DRAIN_MS = 5_000;

export function answerClientErrors(server: Server): void {
  // Connections with a response under way (a keep-alive client may send its
  // next request early): a status line written now would land inside it.
  const answering = new WeakSet<Duplex>();
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    answering.add(req.socket);
    res.on("close", () => answering.delete(req.socket));
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A client that went away hears nothing.
    if (err.code === "ECONNRESET" || !socket.writable || answering.has(socket)) return void socket.destroy();
    // The bytes that failed to parse; they start with the request line when it came in the same read.
    const raw = (err as { rawPacket?: Buffer }).rawPacket;
    socket.end(clientErrorResponse(err.code, raw?.subarray(0, 5).toString("latin1") === "HEAD "));
    // Read and drop what the client is still sending (the rest of its huge
    // headers): closing with unread bytes resets the connection, and the
    // client would lose the answer. A client that never stops sending is cut.
    socket.on("data", () => {});
    socket.resume();
    setTimeout(() => socket.destroy(), DRAIN_MS).unref();
  });
}
