import type { OrderStore } from "../store";
import { outboxBackoff, type OutboxEntry } from "./order.rules";

/**
 * The relay of the transactional outbox: an order's terminal status and its
 * event are written in one document update, and this relay delivers the
 * event to notifications.record (idempotent by eventId) until it is
 * acknowledged, then marks it delivered. A crash between delivery and the
 * mark means one more delivery, which the receiver ignores: at-least-once
 * delivery plus an idempotent receiver is exactly-once in effect.
 */
export interface RelayDeps {
  store: OrderStore;
  deliver(entry: OutboxEntry): Promise<unknown>;
  log: { debug(...args: unknown[]): void };
  baseDelayMs: number;
  maxDelayMs: number;
  now?(): Date;
}

/**
 * Delivers the due outbox entries (all pending ones when `all`, e.g. when a
 * notifications node just appeared). Returns how many were delivered.
 */
export async function relayOutbox(deps: RelayDeps, all = false, limit = 100): Promise<number> {
  let delivered = 0;
  for (const order of await deps.store.outboxDue(limit, all)) {
    if (!order.outbox) continue;
    const nowMs = (deps.now ?? (() => new Date()))().getTime();
    // Claiming moves the next attempt into the future first, so a crash or a
    // failed delivery backs off, and a second relay skips this entry.
    const claimed = await deps.store.claimOutbox(
      order,
      nowMs + outboxBackoff(order.outboxAttempts, deps.baseDelayMs, deps.maxDelayMs),
    );
    if (!claimed?.outbox) continue;
    try {
      await deps.deliver(claimed.outbox);
      await deps.store.outboxDelivered(claimed);
      delivered++;
    } catch (err) {
      deps.log.debug(`Outbox delivery of ${claimed.outbox.eventId} failed; retrying later:`, (err as Error)?.message);
    }
  }
  return delivered;
}
