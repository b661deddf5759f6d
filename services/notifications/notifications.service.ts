import { Errors, type Context, type ServiceSchema, type ServiceSettingSchema } from "moleculer";
import type { Caller, Notification } from "../../contracts";
import { dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { DocStore } from "../../platform/store/doc-store";
import { notificationRecorded } from "../../platform/observability/business-metrics";
import { listParams, recordParams } from "./notifications.params";
import { notificationFor, toNotification, type NotificationDoc, type OrderEvent } from "./notification.rules";

const LIST_LIMIT = 100;

interface NotificationsThis {
  docs: DocStore<NotificationDoc>;
}

interface NotificationsMethods {
  record(event: OrderEvent): Promise<Notification>;
}

/**
 * The email outbox: one notification per order event, exactly once in
 * effect. Events reach it twice on purpose: the orders outbox calls `record`
 * until it succeeds (durable, at least once), and the plain order.* events
 * arrive when this node was up at the time (fast path). Both land on the same
 * document id, derived from the event id, so the second is a no-op.
 */
const NotificationsService: ServiceSchema<ServiceSettingSchema, DbMethods & NotificationsMethods & NotificationsThis> =
  {
    name: "notifications",
    mixins: [dbMixin({ service: "notifications", collection: "notifications" })],

    settings: { rest: "/" },

    actions: {
      list: {
        rest: "GET /notifications",
        auth: "customer",
        params: listParams,
        async handler(ctx: Context<Record<string, never>, { user?: Caller | null }>): Promise<Notification[]> {
          const user = ctx.meta.user;
          if (!user) throw new Errors.MoleculerClientError("Authentication required", 401, "UNAUTHORIZED");
          const docs = (await this.adapter.find({
            query: { userId: user.id },
            sort: ["-createdAt", "-_id"],
            limit: LIST_LIMIT,
          })) as NotificationDoc[];
          return docs.map((d) => toNotification({ ...d, _id: String(d._id) }));
        },
      },

      record: {
        visibility: "public",
        params: recordParams,
        handler(ctx: Context<OrderEvent>): Promise<Notification> {
          return this.record(ctx.params);
        },
      },
    },

    events: {
      async "order.confirmed"(ctx: Context<OrderEvent>) {
        await this.record(ctx.params);
      },
      async "order.failed"(ctx: Context<OrderEvent>) {
        await this.record(ctx.params);
      },
    },

    methods: {
      async record(event: OrderEvent): Promise<Notification> {
        const doc = notificationFor(event);
        if (await this.docs.insert(doc)) {
          notificationRecorded(this.broker, doc.event, event.occurredAt);
          this.logger.info(`Notification for ${doc.event} of order ${doc.orderId} queued for user ${doc.userId}.`);
          return toNotification(doc);
        }
        // Already recorded: a redelivery or the other path. The first one stands.
        const existing = await this.docs.get(doc._id);
        return toNotification(existing ?? doc);
      },
    },

    started() {
      this.docs = new DocStore<NotificationDoc>(this.adapter);
    },
  };

export default NotificationsService;
