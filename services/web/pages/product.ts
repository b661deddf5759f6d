import type { Product } from "../../../contracts";
import { html } from "../domain/html";
import { formatPrice } from "../domain/money";
import { field } from "./form-field";
import { alert, csrfField, type Chrome, type View } from "./layout";
import { productCard, stockBadge, thumb } from "./product-card";

export function productView(
  chrome: Chrome,
  product: Product,
  recommendations: Product[] | null,
  notice?: string,
): View {
  const soldOut = product.available === 0;
  const maxQuantity = Math.min(99, product.available && product.available > 0 ? product.available : 99);
  const also =
    recommendations && recommendations.length
      ? html`<section aria-labelledby="also-bought" data-testid="recommendations">
          <h2 id="also-bought">Customers also bought</h2>
          <ul class="grid">
            ${recommendations.map((p) => productCard(p, 3))}
          </ul>
        </section>`
      : "";
  return {
    title: product.name,
    body: html`${notice ? alert("ok", notice) : ""}
      <article class="product">
        ${thumb(product)}
        <div>
          <h1>${product.name}</h1>
          <p class="price" data-testid="price">${formatPrice(product.priceCents, product.currency)}</p>
          <p>${stockBadge(product.available)}</p>
          <p>${product.description}</p>
          <p class="muted">
            Category: <a href="/?category=${encodeURIComponent(product.category)}">${product.category}</a>
          </p>
          <form class="buy" method="post" action="/cart/items" data-once>
            ${csrfField(chrome)}
            <input type="hidden" name="productId" value="${product.id}" />
            ${field({
              id: "quantity",
              name: "quantity",
              label: "Quantity",
              value: 1,
              testid: "quantity",
              attrs: { type: "number", min: 1, max: maxQuantity, required: true },
            })}
            <button type="submit" data-testid="add-to-cart" ${soldOut ? "disabled" : ""}>Add to cart</button>
          </form>
          ${soldOut ? html`<p class="hint">This product is sold out for now.</p>` : ""}
        </div>
      </article>
      ${also}`,
  };
}
