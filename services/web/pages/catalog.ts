import type { Page, Product, ProductSort } from "../../../contracts";
import { catalogUrl, SORT_LABELS, type CatalogQuery } from "../domain/catalog-query";
import { html } from "../domain/html";
import type { View } from "./layout";
import { productCard } from "./product-card";

export function catalogView(query: CatalogQuery, page: Page<Product>, categories: string[]): View {
  const heading = query.q
    ? `Results for “${query.q}”`
    : query.category
      ? `${query.category[0].toUpperCase()}${query.category.slice(1)}`
      : "All products";
  const sortOptions = (Object.keys(SORT_LABELS) as ProductSort[]).map(
    (sort) => html`<option value="${sort}" ${sort === query.sort ? "selected" : ""}>${SORT_LABELS[sort]}</option>`,
  );
  const categoryOptions = categories.map(
    (c) => html`<option value="${c}" ${c === query.category ? "selected" : ""}>${c}</option>`,
  );
  const pager =
    page.totalPages > 1
      ? html`<nav class="pager" aria-label="Pages">
          ${query.page > 1 ? html`<a href="${catalogUrl(query, { page: query.page - 1 })}" rel="prev">Previous</a>` : ""}
          <span>Page ${page.page} of ${page.totalPages}</span>
          ${
            query.page < page.totalPages
              ? html`<a href="${catalogUrl(query, { page: query.page + 1 })}" rel="next">Next</a>`
              : ""
          }
        </nav>`
      : "";
  const list = page.rows.length
    ? html`<ul class="grid" aria-label="Products">
        ${page.rows.map((p) => productCard(p))}
      </ul>`
    : html`<p>No products match. <a href="/">Show all products</a>.</p>`;
  return {
    title: heading,
    body: html`<h1>${heading}</h1>
      <form class="filters" method="get" action="/" role="search">
        <div class="grow">
          <label for="q">Search</label>
          <input id="q" name="q" type="search" value="${query.q}" maxlength="100" data-testid="search" />
        </div>
        <div>
          <label for="category">Category</label>
          <select id="category" name="category" data-testid="category">
            <option value="">All</option>
            ${categoryOptions}
          </select>
        </div>
        <div>
          <label for="sort">Sort</label>
          <select id="sort" name="sort" data-testid="sort">
            ${sortOptions}
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      <p class="muted" aria-live="polite">${page.total} product${page.total === 1 ? "" : "s"}</p>
      ${list} ${pager}`,
  };
}
