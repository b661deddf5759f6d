import type { DbAdapter } from "moleculer-db";
import { DocStore } from "../../platform/store/doc-store";
import type { StoredLines } from "./domain/cart";

/** One cart per user: the document `_id` is the owner's user id. */
interface CartDoc {
  [key: string]: unknown;
  _id: string;
  lines: StoredLines;
  updatedAt: string;
}

/**
 * The cart's only data access. Each write is one atomic store operation on the
 * user's document, so concurrent requests on one cart never lose a line.
 */
export class CartStore {
  private readonly carts: DocStore<CartDoc>;

  constructor(adapter: DbAdapter) {
    this.carts = new DocStore<CartDoc>(adapter);
  }

  async lines(userId: string): Promise<StoredLines> {
    return (await this.carts.get(userId))?.lines ?? {};
  }

  /** Changes the quantity of a line the cart holds, keeping its place; null when it holds no such line. */
  async setQuantity(userId: string, productId: string, quantity: number): Promise<StoredLines | null> {
    const line = `lines.${productId}`;
    // The cart document must exist for the conditional updates; a no-op when it does.
    await this.carts.insert({ _id: userId, lines: {}, updatedAt: now() });
    const doc = await this.carts.update(
      userId,
      { [line]: { $exists: true } },
      { $set: { [`${line}.quantity`]: quantity, updatedAt: now() } },
    );
    return doc ? doc.lines : null;
  }

  /** Adds a line, last in the cart. */
  async addLine(userId: string, productId: string, quantity: number): Promise<StoredLines> {
    const at = now();
    return this.write(userId, { $set: { [`lines.${productId}`]: { quantity, addedAt: at }, updatedAt: at } });
  }

  async removeLine(userId: string, productId: string): Promise<StoredLines> {
    return this.write(userId, { $unset: { [`lines.${productId}`]: true }, $set: { updatedAt: now() } });
  }

  async clear(userId: string): Promise<StoredLines> {
    return this.write(userId, { $set: { lines: {}, updatedAt: now() } });
  }

  /** A user without a stored cart has an empty one. */
  private async write(userId: string, update: object): Promise<StoredLines> {
    return (await this.carts.update(userId, {}, update))?.lines ?? {};
  }
}

const now = () => new Date().toISOString();
