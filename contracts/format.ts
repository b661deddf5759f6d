/**
 * How the shop writes an amount and an order's id for people, wherever they
 * read it: the storefront's pages and the notifications it sends say the
 * same "€68.00" and "order 6f1c2a9e".
 */
const formats = new Map<string, Intl.NumberFormat>();

/** 1999 EUR → "€19.99". An unknown currency code still shows the amount and the code. */
export function formatPrice(cents: number, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat("en", { style: "currency", currency });
    } catch {
      return `${(cents / 100).toFixed(2)} ${currency}`;
    }
    formats.set(currency, format);
  }
  return format.format(cents / 100);
}

/** The first 8 characters of an order id: what pages and messages show (the URL has the whole id). */
export function shortOrderId(id: string): string {
  return id.slice(0, 8);
}
