import type { Cart, Order } from "../../../contracts";
import { html } from "../domain/html";
import { formatPrice } from "../domain/money";
import { field } from "./form-field";
import { alert, csrfField, type Chrome, type View } from "./layout";
import { statusBadge } from "./orders";

export interface CheckoutProblem {
  message: string;
  /** Field-level problems of the card form. */
  details?: string[];
  /** The order the failed attempt left (FAILED or REJECTED). */
  order?: Order | null;
  retryAfterS?: number;
}

export interface CheckoutForm {
  cardNumber?: string;
  cardExpiry?: string;
}

export function checkoutView(
  chrome: Chrome,
  cart: Cart,
  attemptKey: string,
  problem?: CheckoutProblem,
  form: CheckoutForm = {},
  status = 200,
): View {
  const money = (cents: number) => formatPrice(cents, cart.currency);
  const problemBox = problem
    ? alert(
        "error",
        html`<p
            data-testid="checkout-error"
            ${problem.retryAfterS ? html`data-retry-after="${problem.retryAfterS}"` : ""}
          >
            ${
              problem.retryAfterS
                ? html`${problem.message.replace(/\d+ s\.$/, "")}<span data-countdown>${problem.retryAfterS}</span> s.`
                : problem.message
            }
          </p>
          ${
            problem.details?.length
              ? html`<ul>
                  ${problem.details.map((d) => html`<li>${d}</li>`)}
                </ul>`
              : ""
          }
          ${
            problem.order
              ? html`<p>
                  Order <a href="/orders/${problem.order.id}">${problem.order.id}</a>:
                  ${statusBadge(problem.order.status)}
                </p>`
              : ""
          }`,
      )
    : "";
  return {
    title: "Checkout",
    status,
    retryAfterS: problem?.retryAfterS,
    body: html`<h1>Checkout</h1>
      ${problemBox}
      <h2>Your order</h2>
      <ul>
        ${cart.items.map((l) => html`<li>${l.quantity} × ${l.name} — ${money(l.unitPriceCents * l.quantity)}</li>`)}
      </ul>
      <p class="totals">Total to pay: <span data-testid="checkout-total">${money(cart.totalCents)}</span></p>
      <form class="form" method="post" action="/checkout" data-once autocomplete="off">
        ${csrfField(chrome)}
        <input type="hidden" name="idempotencyKey" value="${attemptKey}" />
        <h2>Card</h2>
        ${field({
          id: "card-number",
          name: "cardNumber",
          label: "Card number",
          value: form.cardNumber ?? "",
          testid: "card-number",
          attrs: { inputmode: "numeric", autocomplete: "cc-number", required: true, maxlength: 23 },
          hint: "Test cards: 4242 4242 4242 4242 is approved, 4000 0000 0000 0002 is declined.",
        })}
        <div class="row">
          ${field({
            id: "card-expiry",
            name: "cardExpiry",
            label: "Expiry (MM/YY)",
            value: form.cardExpiry ?? "",
            testid: "card-expiry",
            attrs: {
              inputmode: "numeric",
              autocomplete: "cc-exp",
              placeholder: "MM/YY",
              required: true,
              maxlength: 7,
              "data-format": "expiry",
            },
          })}
          ${field({
            id: "card-cvc",
            name: "cardCvc",
            label: "CVC",
            testid: "card-cvc",
            attrs: { inputmode: "numeric", autocomplete: "cc-csc", required: true, maxlength: 4 },
          })}
        </div>
        <button type="submit" data-testid="place-order">Place order · ${money(cart.totalCents)}</button>
      </form>`,
  };
}
