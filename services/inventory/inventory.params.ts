import { idRule } from "../../platform/core/ids";

/**
 * fastest-validator schemas for the inventory's actions. Quantities are
 * integers in a sane range; ids have the entity-id shape, so nothing but a
 * plain string ever reaches a store query (no operator injection).
 */

export const MAX_STOCK = 1_000_000;

const quantity = { type: "number", integer: true, min: 0, max: MAX_STOCK } as const;

export const setParams = { $$strict: true, productId: idRule, quantity } as const;

export const getParams = { $$strict: true, productId: idRule } as const;

export const availabilityParams = {
  $$strict: true,
  productIds: { type: "array", items: idRule, max: 1000 },
} as const;

export const reserveParams = {
  $$strict: true,
  orderId: idRule,
  items: {
    type: "array",
    min: 1,
    max: 100,
    items: {
      type: "object",
      strict: true,
      props: { productId: idRule, quantity: { ...quantity, min: 1 } },
    },
  },
} as const;

export const orderParams = { $$strict: true, orderId: idRule } as const;
