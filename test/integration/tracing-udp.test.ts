import { ServiceBroker, type Context } from "moleculer";
import config from "../../moleculer.config";
import { tracingFromEnv } from "../../platform/observability/broker-observability";
import { serviceSchema } from "../helpers/node";
import { eventually } from "../helpers/processes";
import { startJaegerAgent, type JaegerAgent, type ReceivedSpan } from "../helpers/jaeger-receiver";

/**
 * JAEGER_AGENT_HOST/PORT: spans go over UDP to a Jaeger agent. Two brokers
 * joined by Moleculer's in-process transporter; a call crossing them is one
 * trace with the remote span parented to the caller's.
 */
describe("tracing over UDP to a Jaeger agent", () => {
  let agent: JaegerAgent;
  const brokers: ServiceBroker[] = [];

  beforeAll(async () => {
    agent = await startJaegerAgent();
    const saved = { ...process.env };
    Object.assign(process.env, { JAEGER_AGENT_HOST: agent.host, JAEGER_AGENT_PORT: String(agent.port) });
    delete process.env.JAEGER_ENDPOINT;
    const namespace = `udp-${process.pid}`;
    const broker = (nodeID: string) =>
      new ServiceBroker({
        ...config,
        namespace,
        nodeID,
        logger: false,
        transporter: "Fake",
        tracing: tracingFromEnv(nodeID),
      });
    const front = broker("udp-front");
    front.createService({
      name: "front",
      actions: {
        go(ctx: Context) {
          return ctx.call("catalog.list", { pageSize: 1 });
        },
      },
    });
    const back = broker("udp-back");
    back.createService(serviceSchema("catalog"));
    brokers.push(front, back);
    // The options are read; the rest of the suite runs with the environment as it was.
    for (const key of ["JAEGER_AGENT_HOST", "JAEGER_AGENT_PORT", "JAEGER_ENDPOINT"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await Promise.all(brokers.map((b) => b.start()));
    await front.waitForServices("catalog");
  });

  afterAll(async () => {
    await Promise.all(brokers.map((b) => b.stop()));
    await agent?.close();
  });

  it("one call across two nodes is one trace, received over UDP", async () => {
    await brokers[0].call("front.go", {}, { requestID: "udp-trace-1" });
    const spans = (await eventually(() => {
      const found = agent.spans.filter((s) => s.tags.requestID === "udp-trace-1");
      const names = found.map((s) => s.operationName);
      return names.includes("action 'front.go'") && names.includes("action 'catalog.list'") ? found : undefined;
    })) as ReceivedSpan[];
    const go = spans.find((s) => s.operationName === "action 'front.go'")!;
    const list = spans.find((s) => s.operationName === "action 'catalog.list'")!;
    expect(go.nodeID).toBe("udp-front");
    expect(list.nodeID).toBe("udp-back");
    expect(list.traceId).toBe(go.traceId);
    expect(list.parentSpanId).toBe(go.spanId);
    expect(/^0+$/.test(go.parentSpanId)).toBe(true);
  });
});
