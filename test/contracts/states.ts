/**
 * The ids consumers put in their expectations and providers set up in their
 * states. The product is the first demo product (its id is derived from its
 * sku, services/catalog/demo-products.ts), so a freshly seeded catalog has it.
 */
export const CONTRACT_IDS = {
  product: "132f2cd9f1713e80022b3801",
  unknownProduct: "ffffffffffffffffffffffff",
  user: "aaaaaaaaaaaaaaaaaaaaaaaa",
} as const;

/** The order the orders consumer checks out: orderIdFor(user, "pact-checkout-1"). */
export const CONTRACT_ORDER = "8cfb1ae0f2bf77011ceb4f76";
