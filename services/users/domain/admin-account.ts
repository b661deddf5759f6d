import { config } from "../../../platform/config";
import { PASSWORD_MAX, PASSWORD_MIN } from "../../../contracts";
import { normalizeEmail } from "./account";

/**
 * The admin account from ADMIN_EMAIL / ADMIN_PASSWORD, or null when neither is
 * set. A half or invalid configuration fails the start instead of leaving the
 * shop without the admin the operator expects.
 */
export function adminFromEnv(): { email: string; password: string } | null {
  const email = config.ADMIN_EMAIL;
  const password = config.ADMIN_PASSWORD;
  if (!email && !password) return null;
  if (!email || !password) throw new Error("ADMIN_EMAIL and ADMIN_PASSWORD must be set together");
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) throw new Error("ADMIN_EMAIL is not an email address");
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new Error(`ADMIN_PASSWORD must be ${PASSWORD_MIN}..${PASSWORD_MAX} characters long`);
  }
  return { email: normalizeEmail(email), password };
}
