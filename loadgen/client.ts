import http from "node:http";
import https from "node:https";

/**
 * HTTP over keep-alive connections with no cap on their number: an open loop
 * must be able to send while earlier requests are still waiting, so a slow
 * server gets more connections, not a queue inside the load generator.
 */

export interface Answer {
  /** HTTP status, or 0 when no answer came (see `error`). */
  status: number;
  body: string;
  /** "timeout" or the socket error's code when status is 0. */
  error?: string;
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

/** How long one request may wait for its answer before it counts as a "timeout" error. */
export const REQUEST_TIMEOUT_MS = 30_000;

export class Client {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(target: string) {
    this.base = new URL(target);
    this.transport = this.base.protocol === "https:" ? https : http;
    const Agent = this.base.protocol === "https:" ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 });
  }

  request(method: string, path: string, opts: RequestOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    return new Promise((resolve) => {
      const req = this.transport.request(
        new URL(path, this.base),
        { method, headers, agent: this.agent, timeout: REQUEST_TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", (err: NodeJS.ErrnoException) => resolve({ status: 0, body: "", error: err.code ?? "error" }));
        },
      );
      req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "timeout" })));
      req.on("error", (err: NodeJS.ErrnoException) => resolve({ status: 0, body: "", error: err.code ?? "error" }));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
