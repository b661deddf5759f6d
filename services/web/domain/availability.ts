/** Below this many units a product says "n left" instead of "in stock". */
export const FEW_LEFT = 5;

export type AvailabilityKind = "in-stock" | "few-left" | "sold-out" | "unknown";

export interface Availability {
  kind: AvailabilityKind;
  text: string;
}

/**
 * What a shopper is told about stock. `null` means inventory could not be
 * asked: that is "availability unknown", never "sold out".
 */
export function availability(available: number | null | undefined): Availability {
  if (available === null || available === undefined) return { kind: "unknown", text: "availability unknown" };
  if (available <= 0) return { kind: "sold-out", text: "sold out" };
  if (available < FEW_LEFT) return { kind: "few-left", text: `${available} left` };
  return { kind: "in-stock", text: "in stock" };
}
