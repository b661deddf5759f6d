export interface Notification {
  id: string;
  /** The event that caused it; unique, so a redelivered event is ignored. */
  eventId: string;
  event: "order.confirmed" | "order.failed";
  orderId: string;
  userId: string;
  channel: "email";
  subject: string;
  body: string;
  createdAt: string;
}

export interface NotificationsActions {
  /** GET /notifications (customer): own notifications, newest first. */
  "notifications.list": { params: Record<string, never>; result: Notification[] };
  /**
   * Internal, idempotent by eventId: records the notification for an order
   * event; the orders outbox calls it until it succeeds.
   */
  "notifications.record": {
    params: import("./orders").OrderEvents["order.confirmed"] | import("./orders").OrderEvents["order.failed"];
    result: Notification;
  };
}
