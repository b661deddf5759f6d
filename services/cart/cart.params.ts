import { idRule } from "../../platform/core/ids";
import { MAX_QUANTITY } from "./cart.rules";

/**
 * fastest-validator schemas for the cart's actions. The REST actions act on
 * the caller's cart, so they take no user id: stray query fields are dropped.
 */

export const ownCartParams = { $$strict: "remove" } as const;

export const setItemParams = {
  $$strict: true,
  productId: idRule,
  quantity: { type: "number", integer: true, min: 1, max: MAX_QUANTITY },
} as const;

export const removeItemParams = { $$strict: true, productId: idRule } as const;

export const userParams = { $$strict: true, userId: idRule } as const;
