import { string } from "../../platform/config/variable";

/**
 * The users service's settings: the key that signs tokens (the storefront derives its form
 * tokens' key from it too: services/web) and the admin account made at start.
 * Listed in services/variables.ts, parsed at start with every other (platform/config).
 */
export const usersVariables = {
  JWT_SECRET: string({
    defaultDoc: "random per process (not in production)",
    doc: "key that signs tokens, at least 32 characters",
  }),
  JWT_EXPIRES_IN: string({ default: "2h", doc: "token lifetime, e.g. `15m`, `2h`, `1d`" }),
  ADMIN_EMAIL: string({ doc: "admin account, created once at start (with `ADMIN_PASSWORD`)" }),
  ADMIN_PASSWORD: string({ doc: "the admin's password, 8..128 characters" }),
};
