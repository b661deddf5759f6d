import { idRule } from "../platform/core/ids";
import { action, contract, returns } from "./define";

export type Role = "customer" | "admin";

/** A user as every other service sees it. Password material never leaves the users service. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

/** The authenticated caller, put in `ctx.meta.user` by the gateway. */
export interface Caller {
  id: string;
  email: string;
  role: Role;
}

export interface AuthResult {
  user: User;
  token: string;
}

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
    returns<AuthResult>(),
  ),
  /** POST /auth/login (public). Wrong credentials → 401, the same whether the email exists or not. */
  login: action(
    {
      $$strict: true,
      email,
      // Any length up to the maximum: a short password is simply wrong, not invalid input.
      password: { type: "string", min: 1, max: PASSWORD_MAX },
    },
    returns<AuthResult>(),
  ),
  /** GET /me (customer). */
  me: action({ $$strict: "remove" }, returns<User>()),
  /** Internal: the gateway turns a Bearer token into the caller, or null. */
  resolveToken: action({ $$strict: true, token: { type: "string", min: 1, max: 4096 } }, returns<Caller | null>()),
  /** Internal. */
  get: action({ $$strict: true, id: idRule }, returns<User>()),
});
