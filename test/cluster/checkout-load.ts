import { randomUUID } from "node:crypto";
import type { AuthResult, Order } from "../../contracts";
import { request, type JsonResponse } from "../helpers/http";

/**
 * Shoppers buying in a loop through the gateway over real HTTP, each round a
 * new customer: register, put one unit of the product in the cart, check out
 * with an Idempotency-Key. Every request is recorded (start, end, status), so
 * a suite can ask which requests were in flight when it killed a node and how
 * they ended.
 */

export interface Exchange {
  what: "register" | "cart" | "checkout";
  start: number;
  end?: number;
  /** HTTP status, or 0 for a transport error (no answer). */
  status?: number;
  body?: string;
}

export interface Purchase {
  userId: string;
  key: string;
  status: number;
  order?: Order;
}

const card = () => ({
  cardNumber: "4242424242424242",
  expMonth: 12,
  expYear: new Date().getUTCFullYear() + 2,
  cvc: "123",
});

export function startCheckoutLoad(baseUrl: string, productId: string, shoppers: number) {
  let running = true;
  const exchanges: Exchange[] = [];
  const purchases: Purchase[] = [];

  async function send<T>(
    what: Exchange["what"],
    method: string,
    path: string,
    opts: Parameters<typeof request>[3],
  ): Promise<JsonResponse<T> | null> {
    const exchange: Exchange = { what, start: Date.now() };
    exchanges.push(exchange);
    try {
      const res = await request<T>(baseUrl, method, `/api/v1${path}`, opts);
      exchange.status = res.status;
      if (res.status >= 300) exchange.body = res.text.slice(0, 300);
      return res;
    } catch (err) {
      exchange.status = 0;
      exchange.body = String(err);
      return null;
    } finally {
      exchange.end = Date.now();
    }
  }

  async function shopper(): Promise<void> {
    while (running) {
      const reg = await send<AuthResult>("register", "POST", "/auth/register", {
        body: { email: `fo-${randomUUID()}@example.com`, password: "password-123", name: "Failover" },
      });
      if (reg?.status !== 201) continue;
      const { token } = reg.body;
      const put = await send("cart", "PUT", `/cart/items/${productId}`, { token, body: { quantity: 1 } });
      if (put?.status !== 200) continue;
      const key = randomUUID();
      const res = await send<Order>("checkout", "POST", "/orders", {
        token,
        body: { payment: card() },
        headers: { "idempotency-key": key },
      });
      purchases.push({ userId: reg.body.user.id, key, status: res?.status ?? 0, order: res?.body });
    }
  }

  const workers = Array.from({ length: shoppers }, shopper);
  return {
    exchanges,
    purchases,
    async stop(): Promise<void> {
      running = false;
      await Promise.all(workers);
    },
  };
}

/** The requests in flight at `at` (sent before, answered after) and how they ended. */
export function inFlightAt(exchanges: Exchange[], at: number) {
  const caught = exchanges.filter((e) => e.start <= at && (e.end === undefined || e.end > at));
  const endings = new Map<string, number>();
  for (const e of caught) {
    const key = `${e.what} ${e.status ?? "pending"}`;
    endings.set(key, (endings.get(key) ?? 0) + 1);
  }
  const slowest = Math.max(0, ...caught.map((e) => (e.end ?? Date.now()) - at));
  return { count: caught.length, endings: Object.fromEntries(endings), slowestAfterMs: slowest };
}
