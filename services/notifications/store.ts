import type { DbMethods, IndexSpec } from "../../mixins/db.mixin";
import { DocStore } from "../../platform/store/doc-store";
import type { NotificationDoc } from "./domain/notification.rules";

/** Every field the notifications' queries filter or sort by (checked by test/store/service-indexes.test.ts). */
export const notificationIndexes: IndexSpec[] = [{ field: "userId" }, { field: "createdAt" }];

/** The notifications service's only data access. */
export class NotificationsStore {
  private readonly docs: DocStore<NotificationDoc>;

  constructor(private readonly adapter: DbMethods["adapter"]) {
    this.docs = new DocStore<NotificationDoc>(adapter);
  }

  /** False when a notification with this id exists already (a redelivered event): nothing changes then. */
  insert(doc: NotificationDoc): Promise<boolean> {
    return this.docs.insert(doc);
  }

  get(id: string): Promise<NotificationDoc | null> {
    return this.docs.get(id);
  }

  /** A user's newest notifications first. */
  async forUser(userId: string, limit: number): Promise<NotificationDoc[]> {
    const docs = (await this.adapter.find({
      query: { userId },
      sort: ["-createdAt", "-_id"],
      limit,
    })) as NotificationDoc[];
    return docs.map((d) => ({ ...d, _id: String(d._id) }));
  }
}
