/**
 * Who may call an action through the gateway. Every action that declares a
 * `rest` route must also declare `auth`; the gateway refuses routes without it
 * (deny by default). Services still check ownership themselves.
 */
export type AccessLevel = "public" | "customer" | "admin";

declare module "moleculer" {
  interface ActionSchema {
    auth?: AccessLevel;
  }
}
