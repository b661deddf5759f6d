import { Errors, ServiceBroker, type BrokerOptions } from "moleculer";
import { RetryElsewhereMiddleware, RetryElsewhereStrategy } from "../../platform/core/retry-elsewhere";

/**
 * A retried call and the balancer (platform/core/retry-elsewhere.ts), on
 * in-process brokers over Moleculer's fake transporter: two replicas of a
 * service, one failing every call with a retryable error. Two calls sent
 * together go one to each replica; the retry of the one that failed comes
 * back to the balancer after the other call has moved round robin on, so
 * plain round robin sends it to the failing replica again.
 */
describe("a retried call", () => {
  const brokers: ServiceBroker[] = [];
  let failing = "";

  async function cluster(strategy: BrokerOptions["registry"]): Promise<ServiceBroker> {
    const namespace = `retry-${Math.random().toString(36).slice(2)}`;
    const node = (nodeID: string, opts: Partial<BrokerOptions> = {}) => {
      const broker = new ServiceBroker({ namespace, nodeID, transporter: "Fake", logger: false, ...opts });
      brokers.push(broker);
      return broker;
    };
    const caller = node("caller", {
      registry: strategy,
      retryPolicy: { enabled: true, retries: 1, delay: 10, maxDelay: 10, factor: 1 },
      middlewares: [RetryElsewhereMiddleware()],
    });
    for (const id of ["replica-1", "replica-2"]) {
      node(id).createService({
        name: "work",
        actions: {
          run(this: { broker: ServiceBroker }) {
            if (this.broker.nodeID === failing) throw new Errors.MoleculerRetryableError("down", 503, "DOWN");
            return this.broker.nodeID;
          },
        },
      });
    }
    await Promise.all(brokers.map((b) => b.start()));
    await caller.waitForServices("work");
    // The failing replica is the one the balancer picks first.
    failing = caller.registry.getActionEndpoints("work.run")!.endpoints[0].id;
    return caller;
  }

  afterEach(async () => {
    await Promise.all(brokers.splice(0).map((b) => b.stop()));
  });

  it("goes to the same failing replica again under plain round robin", async () => {
    const caller = await cluster({ strategy: "RoundRobin" });
    const [first, second] = await Promise.allSettled([caller.call("work.run"), caller.call("work.run")]);
    expect(first.status).toBe("rejected");
    expect(second).toEqual({ status: "fulfilled", value: expect.not.stringMatching(failing) });
  });

  it("goes to a replica it has not tried", async () => {
    const caller = await cluster({ strategy: RetryElsewhereStrategy });
    const answers = await Promise.all([caller.call("work.run"), caller.call("work.run")]);
    expect(answers.every((nodeID) => nodeID !== failing)).toBe(true);
  });
});
