import { randomBytes } from "node:crypto";

/**
 * Entity ids: 24 hex characters, the shape of a MongoDB ObjectId (4 bytes of
 * seconds, then 8 random bytes). The same id works in NeDB and in MongoDB,
 * where the adapter stores it as an ObjectId, and sorts roughly by creation.
 */
export function newId(now: Date = new Date()): string {
  const seconds = Math.floor(now.getTime() / 1000)
    .toString(16)
    .padStart(8, "0");
  return seconds + randomBytes(8).toString("hex");
}

export const ID_PATTERN = /^[0-9a-f]{24}$/;

/** fastest-validator rule for an entity id; a malformed id is a 422, never a store error. */
export const idRule = {
  type: "string",
  pattern: ID_PATTERN,
  messages: { stringPattern: "'{field}' is not a valid id." },
} as const;
