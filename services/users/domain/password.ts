import { randomBytes } from "node:crypto";
import argon2 from "argon2";

/**
 * Password hashing with argon2id at OWASP's recommended minimum cost
 * (19 MiB, 2 passes, 1 lane): memory-hard, so guessing stolen hashes on GPUs
 * is expensive, yet a login costs tens of milliseconds on one core.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** False for a wrong password and for a malformed hash; never throws on bad input. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Computes the dummy hash ahead of the first login, so that login is not slower than the others. */
export function prepareDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}

/**
 * Verifies the password against the hash of a random password nobody knows.
 * Login calls it when the email is unknown, so an unknown email costs the same
 * time as a wrong password and response times do not reveal which accounts exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await prepareDummyHash(), password);
  return false;
}

/**
 * Whether the password is the account's. Without an account (or with one
 * under another spelling) the dummy hash is checked instead, so the answer
 * takes as long either way.
 */
export async function credentialsMatch(
  account: { email: string; passwordHash: string } | null,
  email: string,
  password: string,
): Promise<boolean> {
  return account && account.email === email
    ? verifyPassword(account.passwordHash, password)
    : verifyAgainstDummy(password);
}
