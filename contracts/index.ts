import type { CallingOptions, Context, ServiceBroker } from "moleculer";
import { catalogContract, type CatalogEvents } from "./catalog";
import type { CallableActions, ServiceContract } from "../platform/contracts/define";
import { usersContract } from "./users";
import { inventoryContract, type InventoryEvents } from "./inventory";
import { paymentsContract } from "./payments";
import { cartContract } from "./cart";
import { type OrderEvents, ordersContract } from "./orders";
import { notificationsContract } from "./notifications";
import { recommendationsContract } from "./recommendations";
import { webContract } from "./web";

export * from "../platform/contracts/access";
export * from "./common";
export * from "./format";
export * from "../platform/contracts/define";
export * from "./catalog";
export * from "./users";
export * from "./inventory";
export * from "./payments";
export * from "./cart";
export * from "./orders";
export * from "./notifications";
export * from "./recommendations";

/**
 * Every service's contract, for the platform code that acts on what they
 * declare (the gateway: OpenAPI, read cache, rate limits); it is handed them
 * by the service that wires it (services/api), never imports them.
 */
export const serviceContracts: readonly ServiceContract[] = [
  catalogContract,
  usersContract,
  inventoryContract,
  paymentsContract,
  cartContract,
  ordersContract,
  notificationsContract,
  recommendationsContract,
  webContract,
];

/**
 * Every action a service may call on another, with its params and result.
 * Each service's contract file adds its own interface here.
 */
export interface ActionContracts
  extends
    CallableActions<typeof catalogContract>,
    CallableActions<typeof usersContract>,
    CallableActions<typeof inventoryContract>,
    CallableActions<typeof paymentsContract>,
    CallableActions<typeof cartContract>,
    CallableActions<typeof ordersContract>,
    CallableActions<typeof notificationsContract>,
    CallableActions<typeof recommendationsContract> {}

/** Every event payload, by event name. */
export interface EventContracts extends CatalogEvents, InventoryEvents, OrderEvents {}

export type ActionName = keyof ActionContracts;
export type ParamsOf<N extends ActionName> = ActionContracts[N]["params"];
export type ResultOf<N extends ActionName> = ActionContracts[N]["result"];

type Caller = Pick<Context, "call"> | Pick<ServiceBroker, "call">;

/** A typed `ctx.call` / `broker.call`: the action name fixes params and result types. */
export function call<N extends ActionName>(
  caller: Caller,
  action: N,
  params: ParamsOf<N>,
  opts?: CallingOptions,
): Promise<ResultOf<N>> {
  return (caller as Pick<ServiceBroker, "call">).call<ResultOf<N>, ParamsOf<N>>(action, params, opts);
}

/** A typed `ctx.emit`. */
export function emit<E extends keyof EventContracts>(
  emitter: Pick<Context, "emit"> | Pick<ServiceBroker, "emit">,
  event: E,
  payload: EventContracts[E],
): Promise<void> {
  return (emitter as Pick<ServiceBroker, "emit">).emit(event, payload) as Promise<void>;
}

/** A typed `broadcast`: every node's handlers get the event (e.g. cache invalidation), not one per group. */
export function broadcast<E extends keyof EventContracts>(
  emitter: Pick<Context, "broadcast"> | Pick<ServiceBroker, "broadcast">,
  event: E,
  payload: EventContracts[E],
): Promise<void> {
  return (emitter as Pick<ServiceBroker, "broadcast">).broadcast(event, payload) as Promise<void>;
}
