/**
 * Who may call an action through the gateway. Every action that declares a
 * `rest` route must also declare `auth`; the gateway refuses routes without it
 * (deny by default). Services still check ownership themselves.
 */
export type AccessLevel = "public" | "customer" | "admin";

declare module "moleculer" {
  interface ActionSchema {
    auth?: AccessLevel;
    /** HTTP status of a successful REST call when it is not 200 (e.g. 201); the gateway sets it and OpenAPI documents it. */
    restStatus?: number;
  }
}
