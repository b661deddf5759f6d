import type { Notification, Order, OrderStatus, Page } from "../../../contracts";
import { html, type Html } from "../domain/html";
import { formatPrice } from "../domain/money";
import { shortOrderId } from "../../../contracts/format";
import { alert, type View } from "./layout";

export function statusBadge(status: OrderStatus): Html {
  return html`<span class="status ${status}" data-testid="order-status">${status}</span>`;
}

const date = (iso: string) => new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC";

function pager(base: string, page: Page<unknown>): Html | "" {
  if (page.totalPages <= 1) return "";
  return html`<nav class="pager" aria-label="Pages">
    ${page.page > 1 ? html`<a href="${base}?page=${page.page - 1}" rel="prev">Previous</a>` : ""}
    <span>Page ${page.page} of ${page.totalPages}</span>
    ${page.page < page.totalPages ? html`<a href="${base}?page=${page.page + 1}" rel="next">Next</a>` : ""}
  </nav>`;
}

/** `customers` (the admin's list): a Customer column, the email by user id, else the id's first characters. */
export function ordersTable(orders: Page<Order>, base: string, customers?: Map<string, string>): Html {
  const showCustomer = customers !== undefined;
  if (orders.rows.length === 0) return html`<p>No orders yet. <a href="/">Start shopping</a>.</p>`;
  return html`<div class="table-wrap">
      <table class="stack">
        <caption class="visually-hidden">
          Orders
        </caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Placed</th>
            ${showCustomer ? html`<th scope="col">Customer</th>` : ""}
            <th scope="col">Items</th>
            <th scope="col" class="num">Total</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          ${orders.rows.map(
            (o) =>
              html`<tr data-testid="order-row" data-order-id="${o.id}">
                <td data-label="Order"><a href="/orders/${o.id}">${shortOrderId(o.id)}</a></td>
                <td data-label="Placed">${date(o.createdAt)}</td>
                ${
                  customers
                    ? html`<td data-label="Customer" data-testid="order-customer">
                        ${customers.get(o.userId) ?? o.userId.slice(0, 8)}
                      </td>`
                    : ""
                }
                <td data-label="Items">${o.items.reduce((n, i) => n + i.quantity, 0)}</td>
                <td class="num" data-label="Total">${formatPrice(o.totalCents, o.currency)}</td>
                <td data-label="Status">${statusBadge(o.status)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${pager(base, orders)}`;
}

export function ordersView(orders: Page<Order>): View {
  return {
    title: "Your orders",
    body: html`<h1>Your orders</h1>
      ${ordersTable(orders, "/orders")}`,
  };
}

export function orderView(order: Order, placed: boolean): View {
  const money = (cents: number) => formatPrice(cents, order.currency);
  return {
    title: `Order ${shortOrderId(order.id)}`,
    body: html`${placed && order.status === "CONFIRMED" ? alert("ok", "Thank you! Your order is confirmed.") : ""}
      <h1>Order ${shortOrderId(order.id)}</h1>
      <p>Status: ${statusBadge(order.status)}</p>
      ${order.failureReason ? html`<p data-testid="failure-reason">${order.failureReason}</p>` : ""}
      <p class="muted">
        Placed
        ${date(order.createdAt)}${
          order.payment ? html` · paid with ${order.payment.brand} ending ${order.payment.last4}` : ""
        }
      </p>
      <div class="table-wrap">
        <table class="stack">
          <caption class="visually-hidden">
            Items of this order
          </caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">Price</th>
              <th scope="col" class="num">Quantity</th>
              <th scope="col" class="num">Total</th>
            </tr>
          </thead>
          <tbody>
            ${order.items.map(
              (i) =>
                html`<tr>
                  <td data-label="Product"><a href="/products/${i.productId}">${i.name}</a></td>
                  <td class="num" data-label="Price">${money(i.unitPriceCents)}</td>
                  <td class="num" data-label="Quantity">${i.quantity}</td>
                  <td class="num" data-label="Total">${money(i.unitPriceCents * i.quantity)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p class="totals">Total: ${money(order.totalCents)}</p>
      <p><a href="/orders">All your orders</a></p>`,
  };
}

export function notificationsView(notes: Notification[]): View {
  return {
    title: "Notifications",
    body: html`<h1>Notifications</h1>
      ${
        notes.length
          ? html`<ul class="notes">
              ${notes.map(
                (n) =>
                  html`<li class="card" data-testid="notification" data-order-id="${n.orderId}">
                    <h2>${n.subject}</h2>
                    <p>${n.body}</p>
                    <p class="muted">
                      ${date(n.createdAt)} · by ${n.channel} ·
                      <a href="/orders/${n.orderId}">order ${shortOrderId(n.orderId)}</a>
                    </p>
                  </li>`,
              )}
            </ul>`
          : html`<p>No notifications yet. They arrive when an order is confirmed or fails.</p>`
      }`,
  };
}
