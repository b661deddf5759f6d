/**
 * The storefront's only script, progressive enhancement: every page works
 * without it. It (1) disables a form's buttons once it is submitted, so a
 * double click sends one request (the server is idempotent anyway), (2) types
 * the "/" of a card expiry, and (3) counts down "try again in N s".
 * Plain ES2017, no framework: well under 1 KB gzipped.
 */
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) return;
  if (form.getAttribute("aria-busy") === "true") {
    event.preventDefault();
    return;
  }
  form.setAttribute("aria-busy", "true");
  setTimeout(function () {
    form.querySelectorAll("button").forEach(function (b) {
      b.disabled = true;
    });
  }, 0);
});
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[aria-busy]").forEach(function (form) {
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button").forEach(function (b) {
      b.disabled = false;
    });
  });
});
document.addEventListener("input", function (event) {
  var input = event.target;
  if (!(input instanceof HTMLInputElement) || input.getAttribute("data-format") !== "expiry") return;
  var digits = input.value.replace(/\D/g, "").slice(0, 4);
  if (event.inputType && event.inputType.indexOf("delete") === 0) return;
  input.value = digits.length > 2 ? digits.slice(0, 2) + "/" + digits.slice(2) : digits;
});
document.querySelectorAll("[data-retry-after]").forEach(function (el) {
  var left = parseInt(el.getAttribute("data-retry-after"), 10);
  var count = el.querySelector("[data-countdown]");
  if (!count || !(left > 0)) return;
  var timer = setInterval(function () {
    left -= 1;
    count.textContent = String(Math.max(left, 0));
    if (left <= 0) clearInterval(timer);
  }, 1000);
});
