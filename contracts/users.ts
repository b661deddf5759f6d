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

export interface UsersActions {
  /** POST /auth/register (public). Duplicate email → 409. */
  "users.register": { params: { email: string; password: string; name: string }; result: AuthResult };
  /** POST /auth/login (public). Wrong credentials → 401, the same whether the email exists or not. */
  "users.login": { params: { email: string; password: string }; result: AuthResult };
  /** GET /me (customer). */
  "users.me": { params: Record<string, never>; result: User };
  /** Internal: the gateway turns a Bearer token into the caller, or null. */
  "users.resolveToken": { params: { token: string }; result: Caller | null };
  /** Internal. */
  "users.get": { params: { id: string }; result: User };
}
