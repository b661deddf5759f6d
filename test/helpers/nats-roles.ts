/** The node roles docker/nats.conf gives a NATS user each (one per service, the gateway as api). */
export const NATS_ROLES = [
  "api",
  "catalog",
  "inventory",
  "users",
  "cart",
  "orders",
  "payments",
  "notifications",
  "recommendations",
] as const;

/** The server side of docker/nats.conf for a test: every role's password variable, each `<role>-pw`. */
export const testNatsPasswords = (): Record<string, string> =>
  Object.fromEntries(NATS_ROLES.map((role) => [`NATS_${role.toUpperCase()}_PASSWORD`, `${role}-pw`]));
