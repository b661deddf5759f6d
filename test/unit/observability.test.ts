import { ServiceBroker } from "moleculer";
import {
  acceptedRequestId,
  currentRequestIds,
  parseTraceParent,
  RequestContextMiddleware,
  traceIdOf,
} from "../../platform/observability/request-context";
import { luhnValid } from "../../platform/core/luhn";
import { redactSecrets } from "../../platform/observability/redact";
import { logFormatter } from "../../platform/observability/log-format";
import {
  heartbeatFromEnv,
  metricsFromEnv,
  sampleRate,
  tracingFromEnv,
} from "../../platform/observability/broker-observability";
import { healthPort } from "../../platform/observability/health";
import { RateMeter } from "../../platform/observability/request-rate";
import {
  notificationRecorded,
  orderFinished,
  paymentDeclined,
  stockLevel,
} from "../../platform/observability/business-metrics";

function withEnv(vars: Record<string, string | undefined>, fn: () => void) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k];
  try {
    fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe("request and trace ids", () => {
  it("uses a 128-bit hex or UUID request id as the trace id, and hashes anything else", () => {
    expect(traceIdOf("4bf92f3577b34da6a3ce929d0e0e4736")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(traceIdOf("4BF92F35-77B3-4DA6-A3CE-929D0E0E4736")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    const hashed = traceIdOf("checkout-42");
    expect(hashed).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIdOf("checkout-42")).toBe(hashed);
    expect(traceIdOf("checkout-43")).not.toBe(hashed);
  });

  it("parses a W3C traceparent and rejects malformed or all-zero ones", () => {
    expect(parseTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentSpanId: "00f067aa0ba902b7",
      sampled: true,
    });
    expect(parseTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.sampled).toBe(false);
    for (const bad of [
      undefined,
      "",
      "garbage",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
    ]) {
      expect(parseTraceParent(bad)).toBeUndefined();
    }
  });

  it("accepts only short, plain client request ids (no log or header injection)", () => {
    expect(acceptedRequestId("checkout-42")).toBe("checkout-42");
    expect(acceptedRequestId("a".repeat(128))).toBe("a".repeat(128));
    expect(acceptedRequestId("a".repeat(129))).toBeUndefined();
    expect(acceptedRequestId('x" injected')).toBeUndefined();
    expect(acceptedRequestId("line\nbreak")).toBeUndefined();
    expect(acceptedRequestId(["a", "b"])).toBeUndefined();
  });
});

describe("redactSecrets", () => {
  it("masks secret fields, bearer tokens, JWTs and card numbers", () => {
    expect(redactSecrets('{"email":"a@b.c","password":"hunter22"}')).toBe('{"email":"a@b.c","password":"[REDACTED]"}');
    expect(redactSecrets("{ cardNumber: '4242424242424242', cvc: '123' }")).toBe(
      "{ cardNumber: '[REDACTED]', cvc: '[REDACTED]' }",
    );
    expect(redactSecrets("Authorization: Bearer abc.def.ghi")).not.toContain("abc.def.ghi");
    expect(redactSecrets("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")).not.toContain("eyJ");
    expect(redactSecrets("charged 4242 4242 4242 4242 ok")).toBe("charged [REDACTED] ok");
  });

  it("leaves ordinary text and numbers that are not card numbers alone", () => {
    expect(luhnValid("4242424242424242")).toBe(true);
    expect(luhnValid("4242424242424241")).toBe(false);
    expect(redactSecrets("order 64b7f0c2a1b2c3d4e5f60718 took 1234567890123 ns")).toBe(
      "order 64b7f0c2a1b2c3d4e5f60718 took 1234567890123 ns",
    );
  });
});

describe("log lines", () => {
  const printArgs = (args: unknown[]) => args.map((a) => (typeof a === "object" ? JSON.stringify(a) : a));
  const bindings = { nodeID: "node-1", ns: "agora", mod: "catalog" };

  it("JSON lines carry the request and trace id of the handler they are written in, and no secrets", async () => {
    const lines: string[] = [];
    const broker = new ServiceBroker({
      logger: false,
      transporter: null,
      middlewares: [RequestContextMiddleware],
    });
    broker.createService({
      name: "probe",
      actions: {
        work() {
          lines.push(
            logFormatter("json")("info", ["working", { password: "s3cret" }], bindings, { printArgs })[0] as string,
          );
          return currentRequestIds();
        },
      },
    });
    await broker.start();
    try {
      const ids = await broker.call("probe.work", {}, { requestID: "req-123" });
      expect(ids).toEqual({ requestId: "req-123", traceId: traceIdOf("req-123") });
      const line = JSON.parse(lines[0]);
      expect(line).toMatchObject({ level: "info", nodeID: "node-1", mod: "catalog", requestId: "req-123" });
      expect(line.traceId).toBe(traceIdOf("req-123"));
      expect(line.msg).not.toContain("s3cret");
    } finally {
      await broker.stop();
    }
  });

  it("lines outside a request have no ids; the short format shows them when present", () => {
    const line = JSON.parse(logFormatter("json")("warn", ["idle"], bindings, { printArgs })[0] as string);
    expect(line.requestId).toBeUndefined();
    const short = logFormatter("short")("info", ["hello"], bindings, { printArgs }).join(" ");
    expect(short).toMatch(/INFO {2}CATALOG: hello$/);
  });
});

describe("options from the environment", () => {
  it("tracing is off without a Jaeger address, and never tags params, meta or error data", () => {
    withEnv({ JAEGER_ENDPOINT: undefined, JAEGER_AGENT_HOST: undefined }, () => {
      expect(tracingFromEnv("n1")).toBe(false);
    });
    withEnv({ JAEGER_ENDPOINT: "http://jaeger:14268/api/traces", TRACING_SAMPLE_RATE: "0.25" }, () => {
      const tracing = tracingFromEnv("n1") as unknown as {
        sampling: { rate: number };
        events: boolean;
        tags: { action: { params: boolean; meta: boolean }; event: { params: boolean } };
        errorFields: string[];
        exporter: { type: string; options: { endpoint: string } };
      };
      expect(tracing.sampling.rate).toBe(0.25);
      expect(tracing.events).toBe(true);
      expect(tracing.tags.action).toMatchObject({ params: false, meta: false });
      expect(tracing.tags.event.params).toBe(false);
      expect(tracing.errorFields).not.toContain("data");
      expect(tracing.exporter).toMatchObject({
        type: "Jaeger",
        options: { endpoint: "http://jaeger:14268/api/traces" },
      });
    });
    withEnv({ JAEGER_ENDPOINT: undefined, JAEGER_AGENT_HOST: "agent", JAEGER_AGENT_PORT: "6831" }, () => {
      const tracing = tracingFromEnv("n1") as unknown as { exporter: { options: object } };
      expect(tracing.exporter.options).toMatchObject({ endpoint: undefined, host: "agent", port: 6831 });
    });
  });

  it("rejects a sample rate outside 0..1", () => {
    withEnv({ TRACING_SAMPLE_RATE: "1.5" }, () => expect(() => sampleRate()).toThrow(/TRACING_SAMPLE_RATE/));
    withEnv({ TRACING_SAMPLE_RATE: "abc" }, () => expect(() => sampleRate()).toThrow(/TRACING_SAMPLE_RATE/));
  });

  it("metrics and the health port are on in production by default, off elsewhere, 0 turns them off", () => {
    withEnv({ NODE_ENV: "production", METRICS_PORT: undefined, HEALTH_PORT: undefined, METRICS: undefined }, () => {
      expect(metricsFromEnv()).toMatchObject({ enabled: true, reporter: { options: { port: 3030 } } });
      expect(healthPort()).toBe(3001);
    });
    withEnv({ NODE_ENV: "production", METRICS: "false", HEALTH_PORT: "0" }, () => {
      expect(metricsFromEnv()).toBe(false);
      expect(healthPort()).toBeUndefined();
    });
    withEnv({ NODE_ENV: "test", METRICS_PORT: undefined, HEALTH_PORT: undefined }, () => {
      expect(metricsFromEnv()).toBe(false);
      expect(healthPort()).toBeUndefined();
    });
    withEnv({ HEARTBEAT_INTERVAL: "2", HEARTBEAT_TIMEOUT: "6" }, () => {
      expect(heartbeatFromEnv()).toEqual({ heartbeatInterval: 2, heartbeatTimeout: 6 });
    });
  });
});

describe("request rate meter", () => {
  it("averages calls per second over the last ten whole seconds", () => {
    const meter = new RateMeter();
    const t0 = 1_000_000_000_000;
    for (let i = 0; i < 50; i++) meter.hit(t0 + i * 100); // 10 per second for 5 s
    expect(meter.rate(t0 + 5000)).toBe(5);
    expect(meter.rate(t0 + 30_000)).toBe(0);
  });
});

describe("business metrics", () => {
  it("record orders, durations, declines, low stock and notification lag", async () => {
    const broker = new ServiceBroker({ logger: false, metrics: { enabled: true } });
    await broker.start();
    try {
      orderFinished(broker, "CONFIRMED", Date.now() - 1500);
      orderFinished(broker, "FAILED", new Date().toISOString());
      paymentDeclined(broker, "PAYMENT_DECLINED");
      stockLevel(broker, "p1", 2, 5);
      stockLevel(broker, "p2", 1, 5);
      stockLevel(broker, "p1", 10, 5);
      notificationRecorded(broker, "order.confirmed", Date.now() - 200);

      const snap = (name: string) =>
        (
          broker.metrics.getMetric(name) as unknown as {
            snapshot(): { labels: object; value?: number; count?: number; sum?: number }[];
          }
        ).snapshot();
      expect(snap("agora_orders_total")).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ labels: { status: "CONFIRMED" }, value: 1 }),
          expect.objectContaining({ labels: { status: "FAILED" }, value: 1 }),
        ]),
      );
      const durations = snap("agora_checkout_duration_seconds").find(
        (s) => (s.labels as { status: string }).status === "CONFIRMED",
      )!;
      expect(durations.count).toBe(1);
      expect(durations.sum).toBeGreaterThanOrEqual(1.5);
      expect(snap("agora_payment_declines_total")[0]).toMatchObject({
        labels: { reason: "PAYMENT_DECLINED" },
        value: 1,
      });
      expect(snap("agora_products_low_stock")[0].value).toBe(1);
      expect(snap("agora_notification_lag_seconds")[0].count).toBe(1);
    } finally {
      await broker.stop();
    }
  });

  it("cost nothing and throw nothing when metrics are off", async () => {
    const broker = new ServiceBroker({ logger: false, metrics: false });
    orderFinished(broker, "CONFIRMED", Date.now());
    paymentDeclined(broker, "X");
    stockLevel(broker, "p", 1, 5);
    notificationRecorded(broker, "order.failed", "not a date");
    expect(broker.metrics.hasMetric("agora_orders_total")).toBe(false);
  });
});
