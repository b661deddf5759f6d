import dgram from "node:dgram";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

// thriftrw ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Thrift } = require("thriftrw") as { Thrift: new (o: object) => unknown };

/**
 * Stand-ins for Jaeger, decoding with the IDL shipped inside jaeger-client:
 * startJaegerReceiver() is the collector (what the HTTP sender posts to
 * /api/traces: a Thrift Batch, binary protocol), startJaegerAgent() the agent
 * (UDP datagrams, each an Agent.emitBatch message). Both keep the spans.
 */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** "0000000000000000" for a root span. */
  parentSpanId: string;
  operationName: string;
  serviceName: string;
  /** The Moleculer node that reported the span (a process tag). */
  nodeID: string;
  /** Start (ms since the epoch) and length (ms) of the span. */
  startMs: number;
  durationMs: number;
  tags: Record<string, string | number | boolean>;
  /** The whole decoded span and process, as JSON text (to search for leaks). */
  raw: string;
}

export interface JaegerReceiver {
  endpoint: string;
  spans: ReceivedSpan[];
  close(): Promise<void>;
}

const IDL = path.join(path.dirname(require.resolve("jaeger-client")), "jaeger-idl/thrift/jaeger.thrift");
const AGENT_IDL = path.join(path.dirname(require.resolve("jaeger-client")), "thriftrw-idl/agent.thrift");

interface ThriftTag {
  key: string;
  vType: "STRING" | "DOUBLE" | "BOOL" | "LONG" | "BINARY";
  vStr?: string | null;
  vDouble?: number | null;
  vBool?: boolean | null;
  vLong?: Buffer | null;
}

interface ThriftSpan {
  traceIdLow: Buffer;
  traceIdHigh: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer;
  operationName: string;
  /** Microseconds since the epoch, and the span's length in microseconds (i64). */
  startTime: Buffer;
  duration: Buffer;
  tags?: ThriftTag[] | null;
}

interface ThriftBatch {
  process: { serviceName: string; tags?: ThriftTag[] | null };
  spans: ThriftSpan[];
}

const hex = (b: Buffer) => Buffer.from(b).toString("hex");
const i64 = (b: Buffer) => Number(Buffer.from(b).readBigInt64BE());

function tagValue(tag: ThriftTag): string | number | boolean {
  switch (tag.vType) {
    case "DOUBLE":
      return tag.vDouble ?? 0;
    case "BOOL":
      return tag.vBool ?? false;
    case "LONG":
      return tag.vLong ? i64(tag.vLong) : 0;
    default:
      return tag.vStr ?? "";
  }
}

const tagsOf = (tags: ThriftTag[] | null | undefined) =>
  Object.fromEntries((tags ?? []).map((t) => [t.key, tagValue(t)]));

function spansOf(batch: ThriftBatch): ReceivedSpan[] {
  const processTags = tagsOf(batch.process.tags);
  return batch.spans.map((span) => {
    const tags = tagsOf(span.tags);
    return {
      traceId: hex(span.traceIdHigh) + hex(span.traceIdLow),
      spanId: hex(span.spanId),
      parentSpanId: hex(span.parentSpanId),
      operationName: span.operationName,
      serviceName: batch.process.serviceName,
      nodeID: String(processTags.nodeID ?? tags.nodeID ?? ""),
      startMs: i64(span.startTime) / 1000,
      durationMs: i64(span.duration) / 1000,
      tags,
      raw: JSON.stringify({ process: batch.process, span, tags, processTags }),
    };
  });
}

export interface JaegerAgent {
  host: string;
  port: number;
  spans: ReceivedSpan[];
  close(): Promise<void>;
}

/**
 * A stand-in for the Jaeger agent: jaeger-client's UDP sender sends one
 * datagram per batch, a Thrift `Agent.emitBatch` message (agent.thrift).
 */
export async function startJaegerAgent(): Promise<JaegerAgent> {
  const agent = new Thrift({
    entryPoint: AGENT_IDL,
    allowOptionalArguments: true,
    allowFilesystemAccess: true,
  }) as unknown as {
    Agent: {
      emitBatch: {
        argumentsMessageRW: {
          readFrom(b: Buffer, o: number): { err: Error | null; value: { body: { batch: ThriftBatch } } };
        };
      };
    };
  };
  const spans: ReceivedSpan[] = [];
  const socket = dgram.createSocket("udp4");
  socket.on("message", (msg) => {
    const result = agent.Agent.emitBatch.argumentsMessageRW.readFrom(msg, 0);
    if (!result.err) spans.push(...spansOf(result.value.body.batch));
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    host: "127.0.0.1",
    port: socket.address().port,
    spans,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Listens on 127.0.0.1 and a free port unless told otherwise (the Jaeger test image: 0.0.0.0:14268). */
export async function startJaegerReceiver(listen: { host?: string; port?: number } = {}): Promise<JaegerReceiver> {
  const thrift = new Thrift({ source: fs.readFileSync(IDL, "ascii"), allowOptionalArguments: true });
  const Batch = (
    thrift as unknown as {
      Batch: { rw: { readFrom(b: Buffer, o: number): { err: Error | null; value: ThriftBatch } } };
    }
  ).Batch;
  const spans: ReceivedSpan[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || !req.url?.startsWith("/api/traces")) {
        res.writeHead(404).end();
        return;
      }
      const result = Batch.rw.readFrom(Buffer.concat(chunks), 0);
      if (result.err) {
        res.writeHead(400).end(String(result.err));
        return;
      }
      spans.push(...spansOf(result.value));
      res.writeHead(202).end();
    });
  });
  // jaeger-client keeps its connection alive between flushes; a server that
  // closes idle sockets (Node's default: after 5 s) races a flush that reuses
  // one, and that batch of spans is lost.
  server.keepAliveTimeout = 120_000;
  const host = listen.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(listen.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}/api/traces`,
    spans,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
