/**
 * The ids consumers put in their expectations and providers set up in their
 * states. The product is the first demo product (its id is derived from its
 * sku, services/catalog/demo-products.ts), so a freshly seeded catalog has it.
 */
export const CONTRACT_IDS = {
  product: "132f2cd9f1713e80022b3801",
  unknownProduct: "ffffffffffffffffffffffff",
  /** The second demo product (MUG-002), recommended with the first. */
  otherProduct: "f3a2c065f02e24eebe7a2c22",
  user: "aaaaaaaaaaaaaaaaaaaaaaaa",
} as const;

/** The order the orders consumer checks out: orderIdFor(user, "pact-checkout-1"). */
export const CONTRACT_ORDER = "8cfb1ae0f2bf77011ceb4f76";

/**
 * The storefront's signed-in customer, as the users service knows them: the
 * account's id derives from its email (services/users/domain/account.ts) and
 * the session token is a JWT for that id signed with the test JWT_SECRET
 * (test/setup-env.ts), issued 2023-11-14 and valid until 2100, so the
 * provider state only has to register the account for the token to resolve.
 */
export const CONTRACT_SESSION = {
  email: "pact@example.com",
  password: "pact-password-1",
  name: "Pact Shopper",
  userId: "65fcb293a0b5a94f4a6b39b7",
  token:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2NWZjYjI5M2EwYjVhOTRmNGE2YjM5YjciLCJpc3MiOiJhZ29yYSIsImF1ZCI6ImFnb3JhIiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjQxMDI0NDQ4MDB9.Xu6ygBMTw87BboF2rRgCvKVNm_sjpPGShyuS7cZO80Y",
} as const;
