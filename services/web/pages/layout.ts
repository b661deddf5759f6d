import type { Caller } from "../../../contracts";
import { assets } from "../domain/assets";
import { html, trusted, type Fragment, type Html } from "../domain/html";

/** What every page's header needs: who is signed in, the form token, the cart's size. */
export interface Chrome {
  user: Caller | null;
  csrf: string;
  /** Units in the cart; null when unknown (signed out, or the cart did not answer). */
  cartCount: number | null;
  /**
   * The gateway's own error pages are written without reading the session: they
   * offer neither "Log in" to a shopper who is signed in nor "Log out".
   */
  sessionUnknown?: true;
  /** A message carried over a redirect (registered, signed out), shown above the page. */
  notice?: string;
}

export interface View {
  title: string;
  body: Html;
  status?: number;
  /** Sent as Retry-After with a 503 or 429. */
  retryAfterS?: number;
}

export function csrfField(chrome: Chrome): Html {
  return html`<input type="hidden" name="_csrf" value="${chrome.csrf}" />`;
}

export function alert(kind: "error" | "info" | "ok", content: Fragment): Html {
  const role = kind === "error" ? "alert" : "status";
  return html`<div class="alert ${kind}" role="${role}">${content}</div>`;
}

function nav(chrome: Chrome): Html {
  const { user } = chrome;
  const cart = chrome.cartCount ? `Cart (${chrome.cartCount})` : "Cart";
  const account = user
    ? html`<li class="who" data-testid="signed-in-as">Signed in as <strong>${user.email}</strong></li>
        <li><a href="/orders">Orders</a></li>
        <li><a href="/notifications">Notifications</a></li>
        ${user.role === "admin" ? html`<li><a href="/admin">Admin</a></li>` : ""}
        <li>
          <form method="post" action="/logout">
            ${csrfField(chrome)}<button class="linklike" type="submit" data-testid="logout">Log out</button>
          </form>
        </li>`
    : chrome.sessionUnknown
      ? ""
      : html`<li><a href="/login">Log in</a></li>
          <li><a href="/register">Register</a></li>`;
  return html`<nav aria-label="Main">
    <ul>
      <li><a href="/">Shop</a></li>
      <li><a href="/cart" data-testid="cart-link">${cart}</a></li>
      ${account}
    </ul>
  </nav>`;
}

/** The whole document around a page's body. */
export function layout(chrome: Chrome, view: View): string {
  return `<!doctype html>${html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${view.title} · Agora</title>
      <link rel="icon" type="image/svg+xml" href="${trusted(assets.icon.url)}" />
      <link rel="stylesheet" href="${trusted(assets.css.url)}" />
      <script src="${trusted(assets.js.url)}" defer></script>
    </head>
    <body>
      <a class="skip" href="#main">Skip to content</a>
      <header class="site">
        <div class="bar">
          <a class="logo" href="/">Agora</a>
          ${nav(chrome)}
        </div>
      </header>
      <main id="main">${chrome.notice ? alert("ok", chrome.notice) : ""}${view.body}</main>
      <footer class="site">
        Agora, a reference shop. Test cards: 4242 4242 4242 4242 (approved), 4000 0000 0000 0002 (declined).
      </footer>
    </body>
  </html>`}`;
}
