import { createHash } from "node:crypto";
import type { Notification, OrderEventParams } from "../../../contracts";
import { formatPrice, shortOrderId } from "../../../contracts/format";
import type { StoredDoc } from "../../../platform/store/doc-store";

/** Rules of notifications, free of the broker. */

/** An order.confirmed or order.failed payload; `status` is set on failures only. */
export type OrderEvent = OrderEventParams;

export type NotificationDoc = StoredDoc & Omit<Notification, "id">;

/**
 * The notification id is derived from the event id, so a redelivered event
 * maps to the same document and the store's unique _id turns it into a no-op,
 * on NeDB and on MongoDB alike (no reliance on a secondary unique index).
 */
export function notificationIdFor(eventId: string): string {
  return createHash("sha256").update(eventId).digest("hex").slice(0, 24);
}

/** The email for an order event. */
export function notificationFor(event: OrderEvent, now: Date = new Date()): NotificationDoc {
  const base = {
    _id: notificationIdFor(event.eventId),
    eventId: event.eventId,
    orderId: event.orderId,
    userId: event.userId,
    channel: "email" as const,
    createdAt: now.toISOString(),
  };
  if (event.status) {
    return {
      ...base,
      event: "order.failed",
      subject: event.status === "REJECTED" ? "Your order could not be placed" : "Your payment did not go through",
      body: `Order ${shortOrderId(event.orderId)} was not completed: ${event.reason || event.status}. Nothing was charged.`,
    };
  }
  return {
    ...base,
    event: "order.confirmed",
    subject: "Your order is confirmed",
    body: `Thank you! Order ${shortOrderId(event.orderId)} is confirmed; total ${formatPrice(event.totalCents ?? 0, event.currency ?? "")}.`,
  };
}

export function toNotification(doc: NotificationDoc): Notification {
  const { _id, ...rest } = doc;
  return { id: String(_id), ...rest };
}
