import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { ServiceBroker, type BrokerOptions, type ServiceSchema } from "moleculer";
import config from "../../moleculer.config";

/** Loads a service schema by folder name, e.g. "catalog". */
export function serviceSchema(name: string): ServiceSchema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`../../services/${name}/${name}.service`).default as ServiceSchema;
}

export interface TestNode {
  broker: ServiceBroker;
  /** Base URL of the gateway, when "api" is one of the services. */
  url: string;
  stop(): Promise<void>;
}

let counter = 0;

/**
 * Starts a broker with the project's configuration (no transporter unless
 * given) running the named services, in this process.
 */
export async function startNode(services: string[], overrides: BrokerOptions = {}): Promise<TestNode> {
  const broker = new ServiceBroker({
    ...config,
    nodeID: `test-${process.pid}-${++counter}`,
    logger: process.env.TEST_LOGS ? config.logger : false,
    transporter: null,
    ...overrides,
  });
  for (const name of services) broker.createService(serviceSchema(name));
  await broker.start();
  let url = "";
  if (services.includes("api")) {
    const server = (broker.getLocalService("api") as unknown as { server: Server }).server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return { broker, url, stop: () => broker.stop() };
}
