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

/** "12.5" / "12,50" / "12" → 1250; anything else → null. */
export function parsePrice(text: string): number | null {
  const match = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "0").padEnd(2, "0"));
}

/** 1250 → "12.50", for a form field. */
export function priceField(cents: number): string {
  return (cents / 100).toFixed(2);
}
