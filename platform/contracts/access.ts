/** A signed-in user's role; `admin` may do everything a `customer` may. */
export type Role = "customer" | "admin";

/** The authenticated caller, put in `ctx.meta.user` by the gateway (the users service resolves the token). */
export interface Caller {
  id: string;
  email: string;
  role: Role;
}

/**
 * Who may call an action: `public`, `customer` (a signed-in user), `admin`, or
 * `internal` (other services and the system only; never over REST). Every
 * contract action declares it; the gateway checks it first and the action's
 * own node enforces it again whoever calls (platform/security). Services
 * still check ownership themselves.
 */
export type AccessLevel = "public" | "customer" | "admin" | "internal";

declare module "moleculer" {
  interface ActionSchema {
    auth?: AccessLevel;
    /** HTTP status of a successful REST call when it is not 200 (e.g. 201); the gateway sets it and OpenAPI documents it. */
    restStatus?: number;
  }
}
