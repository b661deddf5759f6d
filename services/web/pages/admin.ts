import type { Order, Page, Product } from "../../../contracts";
import { availability } from "../domain/availability";
import { html } from "../domain/html";
import { formatPrice, priceField } from "../domain/money";
import { field, type FieldSpec } from "./form-field";
import { alert, csrfField, type Chrome, type View } from "./layout";
import { ordersTable } from "./orders";

function adminNav(current: "products" | "orders") {
  const link = (href: string, label: string, name: typeof current) =>
    html`<a href="${href}" ${name === current ? html`aria-current="page"` : ""}>${label}</a>`;
  return html`<nav aria-label="Administration">
    <p>
      ${link("/admin/products", "Products and stock", "products")} · ${link("/admin/orders", "All orders", "orders")}
    </p>
  </nav>`;
}

export function adminProductsView(chrome: Chrome, products: Page<Product>, notice?: string): View {
  const rows = products.rows.map(
    (p) =>
      html`<tr data-testid="admin-product" data-product-id="${p.id}">
        <td data-label="Product">
          <span><a href="/admin/products/${p.id}">${p.name}</a><br /><span class="muted">${p.sku}</span></span>
        </td>
        <td class="num" data-label="Price">${formatPrice(p.priceCents, p.currency)}</td>
        <td data-label="Availability">${availability(p.available).text}</td>
        <td data-label="Stock">
          <form class="inline" method="post" action="/admin/stock/${p.id}">
            ${csrfField(chrome)}
            <label class="visually-hidden" for="stock-${p.id}">Units of ${p.name} available</label>
            <input
              id="stock-${p.id}"
              name="quantity"
              type="number"
              min="0"
              max="1000000"
              required
              value="${p.available ?? ""}"
              data-testid="stock-quantity"
            />
            <button class="secondary" type="submit" data-testid="set-stock">Set</button>
          </form>
        </td>
      </tr>`,
  );
  return {
    title: "Products · Admin",
    body: html`<h1>Products and stock</h1>
      ${adminNav("products")} ${notice ? alert("ok", notice) : ""}
      <p><a class="button" href="/admin/products/new" data-testid="new-product">New product</a></p>
      <div class="table-wrap">
        <table class="stack">
          <caption class="visually-hidden">
            Products on sale
          </caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">Price</th>
              <th scope="col">Availability</th>
              <th scope="col">Stock</th>
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>
      </div>
      ${
        products.totalPages > 1
          ? html`<nav class="pager" aria-label="Pages">
              ${products.page > 1 ? html`<a href="/admin/products?page=${products.page - 1}">Previous</a>` : ""}
              <span>Page ${products.page} of ${products.totalPages}</span>
              ${
                products.page < products.totalPages
                  ? html`<a href="/admin/products?page=${products.page + 1}">Next</a>`
                  : ""
              }
            </nav>`
          : ""
      }`,
  };
}

export interface ProductForm {
  sku?: string;
  name?: string;
  description?: string;
  price?: string;
  currency?: string;
  category?: string;
  tags?: string;
}

export function productFormFrom(p: Product): ProductForm {
  return {
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: priceField(p.priceCents),
    currency: p.currency,
    category: p.category,
    tags: p.tags.join(", "),
  };
}

export function productFormView(
  chrome: Chrome,
  product: Product | null,
  form: ProductForm,
  problems: string[] = [],
  status = 200,
): View {
  const title = product ? `Edit ${product.name}` : "New product";
  const productField = (name: keyof ProductForm, label: string, attrs: FieldSpec["attrs"] = {}) =>
    field({ id: `p-${name}`, name, label, value: form[name] ?? "", testid: `product-${name}`, attrs });
  return {
    title: `${title} · Admin`,
    status,
    body: html`<h1>${title}</h1>
      ${adminNav("products")}
      ${
        problems.length
          ? alert(
              "error",
              html`Please correct these:
                <ul>
                  ${problems.map((p) => html`<li>${p}</li>`)}
                </ul>`,
            )
          : ""
      }
      <form
        class="form wide"
        method="post"
        action="${product ? `/admin/products/${product.id}` : "/admin/products"}"
        data-once
      >
        ${csrfField(chrome)}
        <div class="row">
          ${productField("sku", "SKU", { required: true, maxlength: 32 })}
          ${productField("category", "Category", { required: true, maxlength: 64 })}
        </div>
        ${productField("name", "Name", { required: true, maxlength: 200 })}
        <div class="field">
          <label for="p-description">Description</label>
          <textarea id="p-description" name="description" maxlength="5000" data-testid="product-description">
${form.description ?? ""}</textarea>
        </div>
        <div class="row">
          ${productField("price", "Price", { required: true, inputmode: "decimal", placeholder: "12.50" })}
          ${productField("currency", "Currency", { required: true, maxlength: 3, placeholder: "EUR" })}
        </div>
        ${productField("tags", "Tags (comma separated)")}
        <button type="submit" data-testid="save-product">${product ? "Save changes" : "Create product"}</button>
      </form>
      ${
        product
          ? html`<h2>Take off sale</h2>
              <form method="post" action="/admin/products/${product.id}/deactivate">
                ${csrfField(chrome)}
                <p>Deactivated products disappear from the shop and from carts; orders keep them.</p>
                <button class="danger" type="submit" data-testid="deactivate">Deactivate</button>
              </form>`
          : ""
      }`,
  };
}

/** `customers`: user id → email, for the orders' customers the users service knew. */
export function adminOrdersView(orders: Page<Order>, customers: Map<string, string>): View {
  return {
    title: "All orders · Admin",
    body: html`<h1>All orders</h1>
      ${adminNav("orders")} ${ordersTable(orders, "/admin/orders", customers)}`,
  };
}
