import type { Cart } from "../../../contracts";
import { html } from "../domain/html";
import { formatPrice } from "../domain/money";
import { alert, csrfField, type Chrome, type View } from "./layout";

export function cartView(chrome: Chrome, cart: Cart, notice?: { kind: "ok" | "error" | "info"; text: string }): View {
  const money = (cents: number) => formatPrice(cents, cart.currency);
  if (cart.items.length === 0) {
    return {
      title: "Your cart",
      body: html`${notice ? alert(notice.kind, notice.text) : ""}
        <h1>Your cart</h1>
        <p data-testid="cart-empty">Your cart is empty. <a href="/">Browse the shop</a>.</p>`,
    };
  }
  const rows = cart.items.map(
    (line) =>
      html`<tr data-testid="cart-line" data-product-id="${line.productId}">
        <td data-label="Product"><a href="/products/${line.productId}">${line.name}</a></td>
        <td class="num" data-label="Price">${money(line.unitPriceCents)}</td>
        <td data-label="Quantity">
          <form class="inline" method="post" action="/cart/items/${line.productId}">
            ${csrfField(chrome)}
            <label class="visually-hidden" for="qty-${line.productId}">Quantity of ${line.name}</label>
            <input
              id="qty-${line.productId}"
              name="quantity"
              type="number"
              min="1"
              max="99"
              value="${line.quantity}"
              required
              data-testid="line-quantity"
            />
            <button class="secondary" type="submit">Update</button>
          </form>
        </td>
        <td class="num" data-label="Total" data-testid="line-total">${money(line.unitPriceCents * line.quantity)}</td>
        <td>
          <form method="post" action="/cart/items/${line.productId}/remove">
            ${csrfField(chrome)}
            <button class="secondary" type="submit" aria-label="Remove ${line.name}" data-testid="remove">
              Remove
            </button>
          </form>
        </td>
      </tr>`,
  );
  return {
    title: "Your cart",
    body: html`${notice ? alert(notice.kind, notice.text) : ""}
      <h1>Your cart</h1>
      <div class="table-wrap">
        <table class="stack">
          <caption class="visually-hidden">
            Items in your cart
          </caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">Price</th>
              <th scope="col">Quantity</th>
              <th scope="col" class="num">Total</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>
      </div>
      <p class="totals">
        Total: <span data-testid="cart-total">${money(cart.totalCents)}</span>
        <span class="muted">(${cart.currency})</span>
      </p>
      <div class="actions">
        <a class="button secondary" href="/">Continue shopping</a>
        <a class="button" href="/checkout" data-testid="checkout">Check out</a>
      </div>`,
  };
}
