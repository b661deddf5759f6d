import { idRule } from "../../platform/core/ids";

/**
 * fastest-validator schemas for the orders service. Card fields are checked
 * for shape only (digits, ranges); Luhn and expiry are checked by
 * order.rules.checkCard before anything is stored, and payments checks again.
 * Validation messages never echo values (the gateway strips `actual`).
 */
export const MAX_PAGE_SIZE = 100;

export const checkoutParams = {
  $$strict: true,
  payment: {
    type: "object",
    strict: true,
    props: {
      cardNumber: {
        type: "string",
        pattern: /^\d{12,19}$/,
        messages: { stringPattern: "'{field}' must be 12 to 19 digits." },
      },
      expMonth: { type: "number", integer: true, min: 1, max: 12 },
      expYear: { type: "number", integer: true, min: 2000, max: 2100 },
      cvc: { type: "string", pattern: /^\d{3,4}$/, messages: { stringPattern: "'{field}' must be 3 or 4 digits." } },
    },
  },
} as const;

export const listParams = {
  $$strict: "remove",
  page: { type: "number", integer: true, min: 1, max: 10_000, convert: true, optional: true },
  pageSize: { type: "number", integer: true, min: 1, max: MAX_PAGE_SIZE, convert: true, optional: true },
} as const;

export const getParams = { $$strict: "remove", id: idRule } as const;

export const recoverParams = {
  $$strict: true,
  olderThanMs: { type: "number", integer: true, min: 0, optional: true },
} as const;
