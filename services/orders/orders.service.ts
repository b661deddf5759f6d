import { Errors, type Context } from "moleculer";
import { call, defineService, emit, ordersContract, type Caller, type RequestMeta } from "../../contracts";
import { dbMixin, type DbMethods } from "../../mixins/db.mixin";
import { config } from "../../platform/config";
import { NotFoundError } from "../../platform/core/errors";
import { faultPoint } from "../../dev/fault-injection";
import { systemCaller } from "../../platform/security/system-caller";
import { orderFinished } from "../../platform/observability/business-metrics";
import { processGone, processId } from "../../platform/core/process-liveness";
import { checkout, recoverUnattended, type CheckoutPorts, type SagaDeps } from "./domain/checkout.saga";
import { checkCard, checkIdempotencyKey, checkoutError, toOrder } from "./domain/order.rules";
import { relayOutbox } from "./domain/outbox-relay";
import { orderIndexes, OrderStore } from "./store";

/**
 *   ORDERS_PENDING_TIMEOUT_MS    an order PENDING this long after its last step is recovered (15000)
 *   ORDERS_RECOVERY_INTERVAL_MS  how often a node looks for such orders (5000)
 *   ORDERS_OUTBOX_INTERVAL_MS    how often the outbox relay looks for undelivered events (1000)
 *   ORDERS_OUTBOX_MAX_BACKOFF_MS longest wait between two deliveries of one event (5000)
 */
const pendingTimeout = () => config.ORDERS_PENDING_TIMEOUT_MS;

interface OrdersThis {
  store: OrderStore;
  timers: NodeJS.Timeout[];
  relaying: boolean;
  relayAgain: boolean;
  recovering: boolean;
}

interface OrdersMethods {
  sagaDeps(ctx: Context | null): SagaDeps;
  relayNow(all?: boolean): Promise<void>;
  recoverNow(olderThanMs?: number): Promise<number>;
}

function caller(ctx: Context<unknown, RequestMeta>): Caller {
  const user = ctx.meta.user;
  if (!user) throw new Errors.MoleculerClientError("Authentication required", 401, "UNAUTHORIZED");
  return user;
}

/** Orders and the checkout saga (domain/checkout.saga.ts); durable order events through an outbox (domain/outbox-relay.ts). */
export default defineService<DbMethods & OrdersMethods & OrdersThis>()(ordersContract, {
  mixins: [dbMixin({ service: "orders", collection: "orders", indexes: orderIndexes })],

  settings: { rest: "/" },

  actions: {
    checkout: {
      rest: "POST /orders",
      auth: "customer",
      restStatus: 201,
      async handler(ctx) {
        const user = caller(ctx);
        const idempotencyKey = checkIdempotencyKey(ctx.meta.idempotencyKey as string | undefined);
        checkCard(ctx.params.payment);
        const order = await checkout(this.sagaDeps(ctx), {
          userId: user.id,
          idempotencyKey,
          card: ctx.params.payment,
          waitMs: Math.max(1000, config.REQUEST_TIMEOUT - 2000),
        });
        if (order.status === "CONFIRMED") {
          // A 201 names what it created; without it moleculer-web also logs a warning per checkout.
          ctx.meta.$location = `/api/v1/orders/${order._id}`;
          return toOrder(order);
        }
        if (order.status === "PENDING") {
          throw new Errors.MoleculerClientError("This checkout is still in progress", 409, "CHECKOUT_IN_PROGRESS", {
            order: toOrder(order),
          });
        }
        throw checkoutError(order);
      },
    },

    list: {
      rest: "GET /orders",
      auth: "customer",
      async handler(ctx) {
        const user = caller(ctx);
        const page = ctx.params.page ?? 1;
        const pageSize = ctx.params.pageSize ?? 20;
        const { rows, total } = await this.store.listForUser(user.id, (page - 1) * pageSize, pageSize);
        return { rows: rows.map(toOrder), total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
      },
    },

    listAll: {
      // No REST route: only the storefront's admin pages (services/web) list every order, as the signed-in admin.
      auth: "admin",
      visibility: "public",
      async handler(ctx) {
        const page = ctx.params.page ?? 1;
        const pageSize = ctx.params.pageSize ?? 20;
        const { rows, total } = await this.store.listAll((page - 1) * pageSize, pageSize);
        return { rows: rows.map(toOrder), total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
      },
    },

    get: {
      rest: "GET /orders/:id",
      auth: "customer",
      async handler(ctx) {
        const user = caller(ctx);
        const order = await this.store.get(ctx.params.id);
        // Another customer's order is answered like a missing one: its existence is not theirs to know.
        if (!order || (order.userId !== user.id && user.role !== "admin"))
          throw new NotFoundError("Order", ctx.params.id);
        return toOrder(order);
      },
    },

    recover: {
      visibility: "public",
      auth: "internal",
      async handler(ctx) {
        return { recovered: await this.recoverNow(ctx.params.olderThanMs) };
      },
    },
  },

  events: {
    // A notifications node appeared: deliver what waited for it now, not at the next backoff.
    "$services.changed"() {
      if (this.store) void this.relayNow(true);
    },
  },

  methods: {
    sagaDeps(ctx: Context | null): SagaDeps {
      // Recovery runs outside any request: the platform acts as itself (audited).
      const via = ctx ?? systemCaller(this.broker, "orders.recovery");
      const ports: CheckoutPorts = {
        cartSnapshot: (userId) => call(via, "cart.snapshot", { userId }),
        reserve: (orderId, items) => call(via, "inventory.reserve", { orderId, items }),
        release: (orderId) => call(via, "inventory.release", { orderId }),
        charge: (orderId, amountCents, currency, card) =>
          call(via, "payments.charge", { orderId, amountCents, currency, card }),
        paymentOf: (orderId) => call(via, "payments.get", { orderId }),
        refund: (orderId) => call(via, "payments.refund", { orderId }),
        commit: (orderId) => call(via, "inventory.commit", { orderId }),
        emptyCart: (userId) => call(via, "cart.empty", { userId }),
        announce: (entry) => emit(this.broker, entry.event, entry.payload),
      };
      return {
        store: this.store,
        ports,
        leaseMs: pendingTimeout(),
        faultPoint,
        log: this.logger,
        onTerminal: (order) => {
          orderFinished(this.broker, order.status, order.createdAt);
          setImmediate(() => void this.relayNow());
        },
        // A checkout repeated here while the process driving it is gone is taken over (checkout.saga.ts).
        driver: {
          id: processId(this.broker),
          gone: (driver) => processGone(this.broker, driver, config.DEAD_NODE_PING_TIMEOUT_MS),
        },
      };
    },

    /** One relay pass; a request for another pass while one runs is remembered, not dropped. */
    async relayNow(all = false): Promise<void> {
      if (this.relaying) {
        this.relayAgain = true;
        return;
      }
      this.relaying = true;
      try {
        do {
          this.relayAgain = false;
          await relayOutbox(
            {
              store: this.store,
              deliver: (entry) =>
                call(systemCaller(this.broker, "orders.outbox"), "notifications.record", entry.payload),
              log: this.logger,
              baseDelayMs: 200,
              maxDelayMs: config.ORDERS_OUTBOX_MAX_BACKOFF_MS,
            },
            all,
          );
        } while (this.relayAgain);
      } catch (err) {
        this.logger.warn("Outbox relay pass failed:", (err as Error).message);
      } finally {
        this.relaying = false;
      }
    },

    async recoverNow(olderThanMs?: number): Promise<number> {
      if (this.recovering) return 0;
      this.recovering = true;
      try {
        const recovered = await recoverUnattended(this.sagaDeps(null), olderThanMs);
        if (recovered) this.logger.info(`Recovered ${recovered} unfinished order(s).`);
        return recovered;
      } catch (err) {
        this.logger.warn("Order recovery pass failed:", (err as Error).message);
        return 0;
      } finally {
        this.recovering = false;
      }
    },
  },

  started() {
    this.store = new OrderStore(this.adapter);
    this.relaying = false;
    this.relayAgain = false;
    this.recovering = false;
    // Orders a crashed node left behind are picked up at start and then periodically.
    this.timers = [
      setTimeout(() => void this.recoverNow(), 0),
      setInterval(() => void this.recoverNow(), config.ORDERS_RECOVERY_INTERVAL_MS),
      setInterval(() => void this.relayNow(), config.ORDERS_OUTBOX_INTERVAL_MS),
    ];
  },

  stopped() {
    for (const timer of this.timers ?? []) clearTimeout(timer);
    this.timers = [];
  },
});
