import type { Product } from "../../../contracts";
import { availability } from "../domain/availability";
import { html, type Html } from "../domain/html";
import { formatPrice } from "../domain/money";

/** The picture's stand-in: the product's initial on a tinted tile (decorative). */
export function thumb(product: Pick<Product, "name">): Html {
  return html`<div class="thumb" aria-hidden="true">${product.name.slice(0, 1).toUpperCase()}</div>`;
}

export function stockBadge(available: number | null | undefined): Html {
  const a = availability(available);
  return html`<span class="stock ${a.kind}" data-testid="availability">${a.text}</span>`;
}

export function productCard(product: Product, headingLevel: 2 | 3 = 2): Html {
  const heading =
    headingLevel === 2
      ? html`<h2><a href="/products/${product.id}">${product.name}</a></h2>`
      : html`<h3><a href="/products/${product.id}">${product.name}</a></h3>`;
  return html`<li class="card" data-testid="product-card" data-product-id="${product.id}">
    ${thumb(product)} ${heading}
    <span class="price">${formatPrice(product.priceCents, product.currency)}</span>
    ${stockBadge(product.available)}
  </li>`;
}
