import fs from "node:fs";
import { TestCallsAsSystem } from "../helpers/system-calls";
import path from "node:path";
import { Errors, ServiceBroker, type Middleware, type ServiceSchema } from "moleculer";
import config from "../../moleculer.config";
import { serviceSchema } from "../helpers/node";
import {
  MessageConsumerPact,
  MessageProviderPact,
  synchronousBodyHandler,
  type ConcreteMessage,
} from "@pact-foundation/pact";

/**
 * Consumer-driven contracts between Agora's services, with Pact message pacts.
 *
 * Moleculer services talk in two ways, and both become messages here:
 * - an event: the message is the payload (`order.confirmed` → notifications);
 * - an action call: the message is the answer the caller needs, `{ result }`
 *   or `{ error: { code, type } }`, and its metadata names the action and the
 *   params the caller sends (`action`, `params`). The provider's verification
 *   makes that very call on a local broker running the real provider service.
 *
 * Each consumer writes down only what it reads (matchers, not example values),
 * so a provider may add fields freely but cannot rename, drop or retype one a
 * consumer uses without a verification failing that names the consumer.
 * Pact files live in pacts/ and are committed: there is no broker.
 */

export const PACT_DIR = path.resolve(__dirname, "../../pacts");

process.env.PACT_DO_NOT_TRACK = "true";

export function consumerPact(consumer: string, provider: string): MessageConsumerPact {
  return new MessageConsumerPact({ consumer, provider, dir: PACT_DIR, logLevel: "warn" });
}

/** What a consumer receives from one call of an action: its result, or the error it must handle. */
export type ActionAnswer<R> = { result: R } | { error: { name: string; code: number; type: string } };

export interface ActionExpectation {
  /** Pact's provider state: the data the provider must hold for this answer. */
  state: string;
  description: string;
  action: string;
  params: object;
  /**
   * What the call carries in ctx.meta besides its params (the caller the
   * storefront signs in as, an Idempotency-Key): the provider's verification
   * makes the call with the same meta.
   */
  meta?: object;
  /** The answer with Pact matchers: `{ result: ... }` or `{ error: ... }`. */
  answer: object;
}

/**
 * Records one action interaction and runs the consumer's own code on the
 * answer (`consume`): the test fails unless the consumer can use it.
 */
export function expectAction<R>(
  pact: MessageConsumerPact,
  expectation: ActionExpectation,
  consume: (answer: ActionAnswer<R>) => Promise<void> | void,
): Promise<unknown> {
  return pact
    .given(expectation.state)
    .expectsToReceive(expectation.description)
    .withMetadata({
      action: expectation.action,
      params: JSON.stringify(expectation.params),
      ...(expectation.meta && { meta: JSON.stringify(expectation.meta) }),
    })
    .withContent(expectation.answer)
    .verify(synchronousBodyHandler((body) => consume(body as ActionAnswer<R>)));
}

/** Records one event and runs the consumer's handling of its payload. */
export function expectEvent<P>(
  pact: MessageConsumerPact,
  expectation: { state: string; description: string; event: string; payload: object },
  consume: (payload: P) => Promise<void> | void,
): Promise<unknown> {
  return pact
    .given(expectation.state)
    .expectsToReceive(expectation.description)
    .withMetadata({ event: expectation.event })
    .withContent(expectation.payload)
    .verify(synchronousBodyHandler((body) => consume(body as P)));
}

/** The answer as a call would deliver it: the result, or the error thrown (as Moleculer rebuilds it). */
export function settle<R>(answer: ActionAnswer<R>): R {
  if ("error" in answer) {
    throw new Errors.MoleculerClientError(answer.error.name, answer.error.code, answer.error.type);
  }
  return answer.result;
}

/** What the pact file says about one message: the action and params, or the event, it stands for. */
export type MessageMetadata = Record<string, string>;

/** Makes the call a message describes on the provider's broker and answers as the pact expects. */
export async function answerOf(broker: ServiceBroker, metadata: MessageMetadata): Promise<ActionAnswer<unknown>> {
  const action = metadata.action;
  const params = JSON.parse(metadata.params) as object;
  const meta = metadata.meta ? (JSON.parse(metadata.meta) as Record<string, unknown>) : undefined;
  try {
    return { result: await broker.call(action, params, meta && { meta }) };
  } catch (err) {
    const e = err as Errors.MoleculerError;
    return { error: { name: e.name, code: e.code, type: e.type } };
  }
}

export interface ProviderVerification {
  provider: string;
  /** Pact files to verify (every consumer of this provider). */
  consumers: readonly string[];
  /** Puts the provider in each named state before the message is produced. */
  states: Record<string, () => Promise<unknown>>;
  /** Produces the message a description names, from its metadata in the pact (e.g. with answerOf). */
  produce(metadata: MessageMetadata, description: string): Promise<unknown>;
}

/** Verifies the committed pacts of every consumer against the real provider. */
export function verifyProvider(v: ProviderVerification): Promise<unknown> {
  const pactUrls = v.consumers.map((consumer) => path.join(PACT_DIR, `${consumer}-${v.provider}.json`));
  // The verifier sends only the description and states; the rest is in the pact files.
  const metadataOf = new Map<string, MessageMetadata>();
  for (const url of pactUrls) {
    const pact = JSON.parse(fs.readFileSync(url, "utf8")) as { messages: ConcreteMessage[] };
    for (const m of pact.messages) metadataOf.set(m.description ?? "", (m.metadata ?? {}) as MessageMetadata);
  }
  const messageProviders = Object.fromEntries(
    [...metadataOf].map(([description, metadata]) => [
      description,
      // The metadata names the call (or event) the message stands for, so the answer carries it back.
      async () => ({ __pactMessageMetadata: metadata, message: await v.produce(metadata, description) }),
    ]),
  );
  const stateHandlers = Object.fromEntries(Object.entries(v.states).map(([name, fn]) => [name, () => fn()]));
  return new MessageProviderPact({
    provider: v.provider,
    pactUrls,
    messageProviders,
    stateHandlers,
    logLevel: "warn",
  }).verify();
}

/**
 * A broker in this process (no transporter) running the real `services` by
 * folder name, and `stubs` for what they call: the side of a contract under
 * test is real, the other side answers from the pact.
 */
export async function localBroker(
  services: string[],
  stubs: ServiceSchema[] = [],
  middlewares: Middleware[] = [],
): Promise<ServiceBroker> {
  const broker = new ServiceBroker({
    ...config,
    nodeID: `pact-${process.pid}-${++brokers}`,
    logger: false,
    transporter: null,
    middlewares: [...(config.middlewares ?? []), ...middlewares, TestCallsAsSystem],
  });
  for (const name of services) broker.createService(serviceSchema(name));
  for (const stub of stubs) broker.createService(stub);
  await broker.start();
  return broker;
}
let brokers = 0;
