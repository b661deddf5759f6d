import net from "node:net";
import { request } from "../helpers/http";
import { startAgoraNode, stopAll, type AgoraNode } from "../helpers/processes";

/**
 * A node stops on SIGTERM within SHUTDOWN_TIMEOUT plus a margin whatever its
 * clients do: a body that stops halfway, a reader that never reads, a socket
 * closed on one side, idle keep-alive connections, OPTIONS /healthz with a
 * large body that never ends. The bound is the feature (a stuck node is what
 * Kubernetes kills after its grace period), set generously: not a speed test.
 */
const SHUTDOWN_TIMEOUT_MS = 2_000;
const MARGIN_MS = 8_000;

const sockets: net.Socket[] = [];

/** A raw connection; resolves once the bytes are handed to the kernel. */
function connect(url: string, opts: { allowHalfOpen?: boolean } = {}): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port), allowHalfOpen: opts.allowHalfOpen ?? false });
    socket.on("error", () => {}); // the node cuts these connections: that is the point
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
    sockets.push(socket);
  });
}

/** SIGTERM, then the exit code and the time it took; a node still running after the bound fails the test with its output. */
async function sigterm(node: AgoraNode): Promise<{ code: number | null; elapsed: number }> {
  const signalled = Date.now();
  node.child.kill("SIGTERM");
  const code = await Promise.race([
    node.exited,
    new Promise<"still running">((resolve) =>
      setTimeout(() => resolve("still running"), SHUTDOWN_TIMEOUT_MS + MARGIN_MS).unref(),
    ),
  ]);
  const elapsed = Date.now() - signalled;
  if (code === "still running") {
    throw new Error(`still running ${elapsed} ms after SIGTERM:\n${node.output().slice(-3000)}`);
  }
  return { code, elapsed };
}

const write = (socket: net.Socket, data: string | Buffer) =>
  new Promise<void>((resolve, reject) => socket.write(data, (err) => (err ? reject(err) : resolve())));

/** Reads until the socket has received `pattern`. */
function received(socket: net.Socket, pattern: RegExp): Promise<string> {
  let text = "";
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (pattern.test(text)) {
        socket.off("data", onData);
        resolve(text);
      }
    };
    socket.on("data", onData);
  });
}

describe("SIGTERM with misbehaving clients", () => {
  let node: AgoraNode;

  beforeAll(async () => {
    node = await startAgoraNode({
      services: ["api", "users", "catalog", "inventory"],
      env: { SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT_MS), JWT_SECRET: "shutdown-test-secret-shutdown-test-0123" },
    });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await stopAll();
  });

  it(`exits within SHUTDOWN_TIMEOUT (${SHUTDOWN_TIMEOUT_MS} ms) + ${MARGIN_MS} ms, with code 0`, async () => {
    const host = new URL(node.url).host;

    // (a) headers and half a body, then nothing.
    for (const path of ["/api/v1/auth/login", "/api/v1/products"]) {
      const stalled = await connect(node.url);
      await write(
        stalled,
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n` +
          `{"email":"${"a".repeat(400)}`,
      );
    }

    // (b) a reader that never reads: large responses pipelined on one connection, the socket paused.
    const slow = await connect(node.url);
    slow.pause();
    await write(
      slow,
      `GET /api/docs/swagger-ui-bundle.js HTTP/1.1\r\nHost: ${host}\r\n\r\n`.repeat(8) +
        `GET /api/v1/products?pageSize=100 HTTP/1.1\r\nHost: ${host}\r\n\r\n`.repeat(8),
    );

    // (c) half-closed: part of a request, then the client's FIN, the socket left open.
    const half = await connect(node.url, { allowHalfOpen: true });
    await write(half, `GET /api/v1/products HTTP/1.1\r\nHost: ${host}\r\n`);
    half.end();

    // (d) idle keep-alive connections, each after a complete request.
    for (let i = 0; i < 3; i++) {
      const idle = await connect(node.url);
      const answered = received(idle, /"status":"ok"/);
      await write(idle, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`);
      await answered;
    }

    // (e) OPTIONS /healthz with a large body that never ends, on the gateway and on the probe port.
    for (const url of [node.url, node.healthUrl]) {
      const options = await connect(url);
      const { host: optionsHost } = new URL(url);
      await write(
        options,
        `OPTIONS /healthz HTTP/1.1\r\nHost: ${optionsHost}\r\nContent-Type: text/plain\r\nContent-Length: 10000000\r\n\r\n`,
      );
      // Not awaited: nobody reads it, so it never all leaves this process.
      options.write(Buffer.alloc(1_000_000, "x"));
    }

    // The node has read all of the above by the time it answers this (one event loop, in order).
    expect((await request(node.url, "GET", "/healthz")).status).toBe(200);

    const { code, elapsed } = await sigterm(node);
    expect({ code, elapsedWithinBound: elapsed <= SHUTDOWN_TIMEOUT_MS + MARGIN_MS }).toEqual({
      code: 0,
      elapsedWithinBound: true,
    });
    // The clients did hold requests open: the stop waited for them, then cut them.
    expect(node.output()).toMatch(/Waiting for [1-9]\d* running context\(s\)/);
  }, 90_000);
});

/** What SIGTERM does when the stop itself never finishes: the process backstop (platform/core/stop-backstop.ts). */
describe("SIGTERM when a service never finishes stopping", () => {
  afterAll(stopAll);

  it(`exits with code 1 within SHUTDOWN_TIMEOUT + ${MARGIN_MS} ms, naming what it waited for`, async () => {
    const node = await startAgoraNode({
      services: ["api", "catalog"],
      env: { SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT_MS), FAULTS: "hang-stop=catalog" },
    });
    const { code } = await sigterm(node);
    expect(code).toBe(1);
    const lines = node
      .output()
      .split("\n")
      .filter((l) => l.includes("Stop not finished"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/after SIGTERM; waiting for services still stopping: catalog\. Exiting with code 1\./);
  }, 90_000);
});
