import type { DbAdapter } from "moleculer-db";
import { isDuplicateKeyError } from "../../platform/core/errors";
import type { UserDoc } from "./domain/account";

/**
 * The users service's only data access. An account's `_id` derives from its
 * email (domain/account.ts), so "one account per email" is the store's `_id`
 * uniqueness: `insert` reports a duplicate instead of throwing.
 */
export class UserStore {
  constructor(private readonly adapter: DbAdapter) {}

  async get(id: string): Promise<UserDoc | null> {
    const doc = (await this.adapter.findById(id)) as (Omit<UserDoc, "_id"> & { _id: unknown }) | null;
    // MongoDB returns an ObjectId; everyone else works with the hex string.
    return doc ? { ...doc, _id: String(doc._id) } : null;
  }

  /** The accounts of these ids that exist. */
  async getMany(ids: string[]): Promise<UserDoc[]> {
    const docs = (await this.adapter.findByIds([...new Set(ids)])) as (Omit<UserDoc, "_id"> & { _id: unknown })[];
    return docs.map((doc) => ({ ...doc, _id: String(doc._id) }));
  }

  /** Stores a new account; false when one with this id (so this email) exists already. */
  async insert(doc: UserDoc): Promise<boolean> {
    try {
      await this.adapter.insert(doc);
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }
}
