import type { Card } from "./payments";
import type { Page } from "./common";

export type OrderStatus = "PENDING" | "CONFIRMED" | "FAILED" | "REJECTED";

export interface OrderItem {
  productId: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  items: OrderItem[];
  totalCents: number;
  currency: string;
  payment: { brand: string; last4: string } | null;
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrdersActions {
  /**
   * POST /orders (customer), header Idempotency-Key (8..128 chars) → ctx.meta.idempotencyKey.
   * 201 CONFIRMED; 402 FAILED (declined); 409 REJECTED (stock); 422 empty cart.
   */
  "orders.checkout": { params: { payment: Card }; result: Order };
  /** GET /orders (customer): own orders, newest first. */
  "orders.list": { params: { page?: number; pageSize?: number }; result: Page<Order> };
  /** GET /orders/:id (customer): owner or admin, else 404. */
  "orders.get": { params: { id: string }; result: Order };
  /** Internal: drives orders left PENDING past the threshold to a terminal state. */
  "orders.recover": { params: { olderThanMs?: number }; result: { recovered: number } };
}

export interface OrderEvents {
  "order.confirmed": {
    eventId: string;
    orderId: string;
    userId: string;
    totalCents: number;
    currency: string;
    /** When the order reached this status (ISO); notification lag is measured from it. */
    occurredAt?: string;
  };
  "order.failed": {
    eventId: string;
    orderId: string;
    userId: string;
    status: "FAILED" | "REJECTED";
    reason: string;
    occurredAt?: string;
  };
}
