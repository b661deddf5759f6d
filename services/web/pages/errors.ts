import { html } from "../domain/html";
import { layout, type View } from "./layout";

/** Error pages in the site's style. They say what happened and what to do, never how the server failed. */

export function notFoundView(): View {
  return {
    title: "Page not found",
    status: 404,
    body: html`<h1>Page not found</h1>
      <p>There is nothing at this address. It may have been moved, or the product is no longer sold.</p>
      <p><a href="/">Go to the shop</a></p>`,
  };
}

export function forbiddenView(): View {
  return {
    title: "Not allowed",
    status: 403,
    body: html`<h1>Not allowed</h1>
      <p data-testid="forbidden">This page is for shop administrators only.</p>
      <p><a href="/">Go to the shop</a></p>`,
  };
}

export function expiredFormView(): View {
  return {
    title: "Form expired",
    status: 403,
    body: html`<h1>This form has expired</h1>
      <p>
        For your safety we only accept forms sent from this site's own pages. Go back, reload the page and send it
        again.
      </p>
      <p><a href="/">Go to the shop</a></p>`,
  };
}

export function unavailableView(retryAfterS: number): View {
  return {
    title: "Temporarily unavailable",
    status: 503,
    retryAfterS,
    body: html`<h1>Temporarily unavailable</h1>
      <p data-retry-after="${retryAfterS}">
        This part of the shop cannot be reached right now. Please try again in
        <span data-countdown>${retryAfterS}</span> s.
      </p>
      <p><a href="/">Go to the shop</a></p>`,
  };
}

export function tooManyView(retryAfterS: number): View {
  return {
    title: "Too many attempts",
    status: 429,
    retryAfterS,
    body: html`<h1>Too many attempts</h1>
      <p data-retry-after="${retryAfterS}">Please wait <span data-countdown>${retryAfterS}</span> s and try again.</p>`,
  };
}

export function badRequestView(): View {
  return {
    title: "Bad request",
    status: 400,
    body: html`<h1>That request could not be understood</h1>
      <p>Go back and check what you entered, or <a href="/">go to the shop</a>.</p>`,
  };
}

export function serverErrorView(): View {
  return {
    title: "Something went wrong",
    status: 500,
    body: html`<h1>Something went wrong</h1>
      <p>We could not show this page. Please try again in a moment.</p>
      <p><a href="/">Go to the shop</a></p>`,
  };
}

/**
 * A whole error document for the gateway to send when the web service itself
 * cannot answer (down, a body too large, a rate limit): the same look, no
 * signed-in parts.
 */
export function errorDocument(status: number, retryAfterS: number): string {
  const view =
    status === 404
      ? notFoundView()
      : status === 429
        ? tooManyView(retryAfterS)
        : status === 503
          ? unavailableView(retryAfterS)
          : status < 500
            ? badRequestView()
            : serverErrorView();
  return layout({ user: null, csrf: "", cartCount: null, sessionUnknown: true }, view);
}
