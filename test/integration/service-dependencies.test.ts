import { ServiceBroker } from "moleculer";
import { ordersContract } from "../../contracts";
import { clusterDependencies } from "../../platform/observability/dependencies";
import { readiness } from "../../platform/observability/health";
import ordersService from "../../services/orders/orders.service";
import { eventually, startNats, stopAll, type NatsServer } from "../helpers/processes";

/**
 * Services declare what they depend on (contracts: dependsOn); the platform
 * only reads it, on the node that runs the service and, through Moleculer's
 * registry, on every other node.
 */
describe("declared service dependencies", () => {
  let nats: NatsServer;
  const brokers: ServiceBroker[] = [];
  const broker = (nodeID: string) => {
    const b = new ServiceBroker({ nodeID, logger: false, transporter: { type: "NATS", options: { url: nats.url } } });
    brokers.push(b);
    return b;
  };

  beforeAll(async () => {
    nats = await startNats();
  });
  afterAll(async () => {
    await Promise.all(brokers.map((b) => b.stop()));
    await stopAll();
  });

  it("the orders service carries its contract's dependsOn in its metadata", () => {
    expect(ordersService.metadata).toEqual(expect.objectContaining({ dependsOn: ordersContract.dependsOn }));
    expect(ordersContract.dependsOn).toEqual({
      cart: "hard",
      inventory: "hard",
      payments: "hard",
      notifications: "optional",
    });
  });

  it("a gateway node sees a remote service's declaration; readiness there waits only for hard ones", async () => {
    const gateway = broker("deps-gateway");
    const worker = broker("deps-worker");
    worker.createService({
      name: "reports",
      metadata: { dependsOn: { ledger: "hard", mailer: "optional" } },
    });
    await Promise.all([gateway.start(), worker.start()]);
    await gateway.waitForServices("reports");

    await eventually(async () => clusterDependencies(gateway.registry).reports !== undefined);
    expect(clusterDependencies(gateway.registry).reports).toEqual({ ledger: "hard", mailer: "optional" });

    const notReady = await readiness(worker);
    expect(notReady.status).toBe("unavailable");
    expect(notReady.failing).toEqual(["service:ledger"]);

    gateway.createService({ name: "ledger" });
    await worker.waitForServices("ledger");
    expect((await readiness(worker)).status).toBe("ok");
  });
});
