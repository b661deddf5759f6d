import type { ServiceBroker, ServiceSchema } from "moleculer";
import { localBroker } from "../pact";

/**
 * The provider under verification, on a fresh local broker per provider
 * state: each state starts from empty stores, so one interaction's writes
 * (an idempotent reservation, a charge) never answer for the next one.
 */
export class ProviderNode {
  broker?: ServiceBroker;

  constructor(
    private readonly services: string[],
    private readonly stubs: () => ServiceSchema[] = () => [],
  ) {}

  async fresh(): Promise<ServiceBroker> {
    await this.broker?.stop();
    this.broker = await localBroker(this.services, this.stubs());
    return this.broker;
  }

  async current(): Promise<ServiceBroker> {
    return this.broker ?? this.fresh();
  }

  stop(): Promise<void> {
    return this.broker?.stop() ?? Promise.resolve();
  }
}
