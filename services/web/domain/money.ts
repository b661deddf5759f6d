/** One format for amounts across the shop (contracts/format.ts). */
export { formatPrice } from "../../../contracts/format";

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
