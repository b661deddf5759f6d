import { call } from "../../../contracts";
import { notificationsView, orderView, ordersView } from "../pages/orders";
import { notFoundIfInvalid, requireUser, type Reply, type WebRequest } from "../request";

export const ORDERS_PAGE_SIZE = 20;

export function pageNumber(text: string | undefined): number {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

export async function ordersPage(req: WebRequest<{ page?: string }>): Promise<Reply> {
  requireUser(req);
  const orders = await call(req.ctx, "orders.list", { page: pageNumber(req.params.page), pageSize: ORDERS_PAGE_SIZE });
  return { view: ordersView(orders) };
}

export async function orderPage(req: WebRequest<{ id: string; placed?: string }>): Promise<Reply> {
  requireUser(req);
  const order = await call(req.ctx, "orders.get", { id: req.params.id }).catch(notFoundIfInvalid);
  return { view: orderView(order, req.params.placed === "1") };
}

export async function notificationsPage(req: WebRequest<Record<string, never>>): Promise<Reply> {
  requireUser(req);
  const notes = await call(req.ctx, "notifications.list", {});
  return { view: notificationsView(notes) };
}
