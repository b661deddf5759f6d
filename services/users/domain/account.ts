import { createHash } from "node:crypto";
import type { Caller, Role, User } from "../../../contracts";

/** Business rules of user accounts, free of Moleculer so tests can call them directly. */

/** A stored user: the public fields plus the password hash, which never leaves the users service. */
export interface UserDoc {
  _id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
  /**
   * The request id of the registration that created it: the same request sent again (the
   * retry policy's retry after the node that ran it died, or a NATS resend) is answered as
   * the first was, not with "already registered". Older accounts lack it.
   */
  registeredBy?: string | null;
}

/**
 * One spelling per address: surrounding spaces dropped, lower case. Mailbox
 * names are case-sensitive in theory, but no provider treats them so, and two
 * accounts differing only in case would be a support and phishing hazard.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The user id is derived from the normalized email (the first 24 hex digits of
 * its SHA-256), so "one account per email" is the store's `_id` uniqueness:
 * it holds under concurrent registrations on NeDB and on any MongoDB-wire
 * store, even one that does not enforce unique secondary indexes.
 */
export function userIdForEmail(normalizedEmail: string): string {
  return createHash("sha256").update(normalizedEmail).digest("hex").slice(0, 24);
}

export function newUserDoc(
  input: { email: string; name: string; role: Role; passwordHash: string; registeredBy?: string | null },
  now: Date = new Date(),
): UserDoc {
  const email = normalizeEmail(input.email);
  return {
    _id: userIdForEmail(email),
    email,
    name: input.name.trim(),
    role: input.role,
    passwordHash: input.passwordHash,
    createdAt: now.toISOString(),
    registeredBy: input.registeredBy ?? null,
  };
}

/** The user as everyone else sees it: an allow-list, so a new stored field is never leaked by accident. */
export function publicUser(doc: { _id?: unknown; id?: unknown } & Omit<UserDoc, "_id">): User {
  return {
    id: String(doc.id ?? doc._id),
    email: doc.email,
    name: doc.name,
    role: doc.role,
    createdAt: doc.createdAt,
  };
}

export function callerOf(user: Pick<User, "id" | "email" | "role">): Caller {
  return { id: user.id, email: user.email, role: user.role };
}
