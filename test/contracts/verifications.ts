/**
 * Which consumers' pacts each provider verification reads: `pacts/<consumer>-<provider>.json`.
 * The provider tests take their lists from here, and coverage.test.ts checks that every file in
 * pacts/ is listed, so a new consumer's pact cannot be committed without being verified.
 */
export const VERIFIED = {
  catalog: ["cart", "inventory", "recommendations", "web"],
  "catalog-events": ["inventory"],
  inventory: ["catalog", "orders", "web"],
  orders: ["web"],
  "orders-events": ["notifications", "recommendations"],
  payments: ["orders"],
  cart: ["orders", "web"],
  notifications: ["orders", "web"],
  users: ["web"],
} as const satisfies Record<string, readonly string[]>;

export type VerifiedProvider = keyof typeof VERIFIED;

/** The pact files the provider verifications read. */
export const verifiedPactFiles = (): string[] =>
  Object.entries(VERIFIED).flatMap(([provider, consumers]) => consumers.map((c) => `${c}-${provider}.json`));
