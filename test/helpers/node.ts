import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { ServiceBroker, type BrokerOptions, type ServiceSchema } from "moleculer";
import config from "../../moleculer.config";
import { TestCallsAsSystem } from "./system-calls";

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
 * given) running the named services, in this process. Its own broker-level
 * calls act as the system unless `systemCalls: false` (system-calls.ts).
 */
export async function startNode(
  services: string[],
  overrides: BrokerOptions = {},
  { systemCalls = true }: { systemCalls?: boolean } = {},
): Promise<TestNode> {
  const middlewares = [...(overrides.middlewares ?? config.middlewares ?? [])];
  const broker = new ServiceBroker({
    ...config,
    nodeID: `test-${process.pid}-${++counter}`,
    logger: process.env.TEST_LOGS ? config.logger : false,
    transporter: null,
    ...overrides,
    middlewares: systemCalls ? [...middlewares, TestCallsAsSystem] : middlewares,
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
