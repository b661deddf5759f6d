import type { CallingOptions, ServiceBroker } from "moleculer";

/**
 * The platform acting as itself: seeding, order recovery, the outbox relay,
 * REPL commands. Such a call carries `meta.$system` naming who acts (e.g.
 * "<service>.recovery"); the action-access middleware lets it through whatever
 * the action's declared access, and logs it (access-middleware.ts).
 *
 * Only trusted code paths set it, through these helpers. What stops any other
 * bus client from setting it too is the bus itself: see docs/security.md.
 */
export const SYSTEM_META = "$system";

/** Calling options that make a call act as the system, as `actor`. */
export function asSystem(actor: string, opts: CallingOptions = {}): CallingOptions {
  return { ...opts, meta: { ...opts.meta, [SYSTEM_META]: actor } };
}

/** A `call()` target whose every call acts as the system, for code that runs outside any request (timers, REPL). */
export function systemCaller(broker: ServiceBroker, actor: string): Pick<ServiceBroker, "call"> {
  const callAsSystem = (name: string, params?: unknown, opts?: CallingOptions) =>
    broker.call(name, params, asSystem(actor, opts));
  return { call: callAsSystem as ServiceBroker["call"] };
}

/** The actor of a system call, or undefined for any other call. */
export function systemActor(meta: Record<string, unknown> | undefined): string | undefined {
  const actor = meta?.[SYSTEM_META];
  return typeof actor === "string" && actor.length > 0 ? actor : undefined;
}
