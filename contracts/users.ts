import { idRule } from "../platform/core/ids";
import type { Caller, Role } from "../platform/contracts/access";
import { action, contract, type RuleType } from "../platform/contracts/define";
import { timestampRule } from "./common";

export type { Caller, Role };

const ROLES = ["customer", "admin"] as const satisfies readonly Role[];
const role = { type: "enum", values: ROLES } as const;

/** A user as every other service sees it. Password material never leaves the users service (strict: no other field). */
export const userSchema = {
  type: "object",
  strict: true,
  props: {
    id: idRule,
    email: { type: "string", min: 3, max: 254 },
    name: { type: "string", max: 100 },
    role,
    createdAt: timestampRule,
  },
} as const;
export type User = RuleType<typeof userSchema>;

/** Who a user is, for an admin's lists (an order's customer): no role, no dates. */
const contactSchema = {
  type: "object",
  strict: true,
  props: { id: idRule, email: { type: "string", min: 3, max: 254 }, name: { type: "string", max: 100 } },
} as const;
export type UserContact = RuleType<typeof contactSchema>;

/** As many ids as a page of the admin's order list has customers. */
export const LOOKUP_MAX = 100;

const authResult = {
  type: "object",
  strict: true,
  props: { user: userSchema, token: { type: "string", min: 1 } },
} as const;
export type AuthResult = RuleType<typeof authResult>;

const callerSchema = {
  type: "object",
  strict: true,
  nullable: true,
  props: { id: idRule, email: { type: "string", min: 3, max: 254 }, role },
} as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/*
 * Credentials must be plain strings: an object such as {"$ne": ""} never
 * reaches a store query. The password is never trimmed or converted: what the
 * user typed is what is hashed.
 */
const email = { type: "email", max: 254, normalize: true } as const;

export const usersContract = contract("users", {
  /** POST /auth/register (public). Duplicate email → 409. */
  register: action(
    {
      $$strict: true,
      email,
      password: { type: "string", min: PASSWORD_MIN, max: PASSWORD_MAX },
      name: { type: "string", min: 1, max: 100, trim: true },
    },
    authResult,
    { rateLimit: "auth", errors: { 409: "This email is already registered" } },
  ),
  /** POST /auth/login (public). Wrong credentials → 401, the same whether the email exists or not. */
  login: action(
    {
      $$strict: true,
      email,
      // Any length up to the maximum: a short password is simply wrong, not invalid input.
      password: { type: "string", min: 1, max: PASSWORD_MAX },
    },
    authResult,
    { rateLimit: "auth", errors: { 401: "Invalid email or password" } },
  ),
  /** GET /me (customer). */
  me: action({ $$strict: "remove" }, userSchema, { errors: { 404: "The token's user no longer exists" } }),
  /** Internal: the gateway turns a Bearer token into the caller, or null. */
  resolveToken: action({ $$strict: true, token: { type: "string", min: 1, max: 4096 } }, callerSchema),
  /** Internal. */
  get: action({ $$strict: true, id: idRule }, userSchema),
  /** Admin (bus only, no route): the email and name of each known id, in no order; unknown ids are left out. */
  lookup: action(
    { $$strict: true, ids: { type: "array", items: idRule, min: 1, max: LOOKUP_MAX } },
    { type: "array", items: contactSchema, max: LOOKUP_MAX },
  ),
});
