import { Errors, type Context } from "moleculer";
import { defineService, notificationsContract, type EventContracts, type Notification } from "../../contracts";
import { dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { notificationRecorded } from "../../platform/observability/business-metrics";
import { notificationFor, toNotification, type OrderEvent } from "./domain/notification.rules";
import { notificationIndexes, NotificationsStore } from "./store";

const LIST_LIMIT = 100;

interface NotificationsThis {
  store: NotificationsStore;
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
export default defineService<DbMethods & NotificationsMethods & NotificationsThis>()(notificationsContract, {
  mixins: [dbMixin({ service: "notifications", collection: "notifications", indexes: notificationIndexes })],

  settings: { rest: "/" },

  actions: {
    list: {
      rest: "GET /notifications",
      auth: "customer",
      async handler(ctx) {
        const user = ctx.meta.user;
        if (!user) throw new Errors.MoleculerClientError("Authentication required", 401, "UNAUTHORIZED");
        return (await this.store.forUser(user.id, LIST_LIMIT)).map(toNotification);
      },
    },

    record: {
      visibility: "public",
      auth: "internal",
      handler(ctx) {
        return this.record(ctx.params);
      },
    },
  },

  events: {
    async "order.confirmed"(ctx: Context<EventContracts["order.confirmed"]>) {
      await this.record(ctx.params);
    },
    async "order.failed"(ctx: Context<EventContracts["order.failed"]>) {
      await this.record(ctx.params);
    },
  },

  methods: {
    async record(event: OrderEvent): Promise<Notification> {
      const doc = notificationFor(event);
      if (await this.store.insert(doc)) {
        notificationRecorded(this.broker, doc.event, event.occurredAt);
        this.logger.info(`Notification for ${doc.event} of order ${doc.orderId} queued for user ${doc.userId}.`);
        return toNotification(doc);
      }
      // Already recorded: a redelivery or the other path. The first one stands.
      return toNotification((await this.store.get(doc._id)) ?? doc);
    },
  },

  started() {
    this.store = new NotificationsStore(this.adapter);
  },
});
