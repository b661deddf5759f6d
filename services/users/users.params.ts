import { idRule } from "../../platform/core/ids";
import { PASSWORD_MAX, PASSWORD_MIN } from "./password";

/**
 * fastest-validator schemas for the users service. Credentials must be plain
 * strings: an object such as {"$ne": ""} never reaches a store query. The
 * password is never trimmed or converted: what the user typed is what is hashed.
 */

const email = { type: "email", max: 254, normalize: true } as const;
const password = { type: "string", min: PASSWORD_MIN, max: PASSWORD_MAX } as const;

export const registerParams = {
  $$strict: true,
  email,
  password,
  name: { type: "string", min: 1, max: 100, trim: true },
} as const;

export const loginParams = {
  $$strict: true,
  email,
  // Any length up to the maximum: a short password is simply wrong, not invalid input.
  password: { type: "string", min: 1, max: PASSWORD_MAX },
} as const;

export const meParams = { $$strict: "remove" } as const;

export const resolveTokenParams = { $$strict: true, token: { type: "string", min: 1, max: 4096 } } as const;

export const getParams = { $$strict: true, id: idRule } as const;
