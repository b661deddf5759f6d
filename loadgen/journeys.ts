import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Client, RequestOptions } from "./client";
import type { Stats } from "./stats";
import type { JourneyName } from "./args";

/**
 * What a shopper does, step by step, through the REST API (/api/v1) and the
 * storefront's pages. Each step is one request and has its own latency
 * histogram; a step that does not answer 2xx ends its journey (its error is
 * counted by status, the steps after it are not sent).
 */

/** The test card the simulated payment provider approves (docs/api.md). */
export const TEST_CARD = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" };

/** What the journeys need to know about the shop, read once before the timed part. */
export interface Shop {
  productIds: string[];
  /** Products with stock, for carts. */
  buyable: string[];
  /** Words from product names, for searches. */
  words: string[];
}

export async function discover(client: Client): Promise<Shop> {
  const res = await client.request("GET", "/api/v1/products?pageSize=100&sort=name");
  if (res.status !== 200)
    throw new Error(`GET /api/v1/products answered ${res.status || res.error}: is the target an Agora gateway?`);
  const rows = (JSON.parse(res.body) as { rows: { id: string; name: string; available: number | null }[] }).rows;
  if (rows.length === 0) throw new Error("the catalog is empty: seed it first (npm run repl, then `seed`)");
  const words = [...new Set(rows.flatMap((p) => p.name.toLowerCase().split(/\W+/)).filter((w) => w.length > 3))];
  return {
    productIds: rows.map((p) => p.id),
    buyable: rows.filter((p) => (p.available ?? 0) > 0).map((p) => p.id),
    words: words.length ? words : ["a"],
  };
}

class StepFailed extends Error {}

/** One journey in progress: its first request is timed from the arrival's due time. */
class Session {
  private origin: number | undefined;
  token: string | undefined;

  constructor(
    private readonly client: Client,
    private readonly stats: Stats,
    origin: number,
  ) {
    this.origin = origin;
  }

  async step(name: string, method: string, path: string, opts: RequestOptions = {}): Promise<string> {
    const start = this.origin ?? performance.now();
    this.origin = undefined;
    const res = await this.client.request(method, path, { token: this.token, ...opts });
    const ok = res.status >= 200 && res.status < 300;
    this.stats.record(name, performance.now() - start, ok, res.status ? String(res.status) : (res.error ?? "error"));
    if (!ok) throw new StepFailed(name);
    return res.body;
  }
}

const pick = <T>(items: T[], n: number): T => items[n % items.length];

type Journey = (s: Session, shop: Shop, n: number) => Promise<void>;

/** One product read: for calibration against the bench's ceilings. */
const get: Journey = async (s, shop, n) => {
  await s.step("product", "GET", `/api/v1/products/${pick(shop.productIds, n)}`);
};

const browse: Journey = async (s, shop, n) => {
  const id = pick(shop.productIds, n * 7 + 3);
  await s.step("page.catalog", "GET", "/", { headers: { accept: "text/html" } });
  await s.step(
    "list",
    "GET",
    `/api/v1/products?page=1&pageSize=20&sort=${pick(["name", "-priceCents", "createdAt"], n)}`,
  );
  await s.step("search", "GET", `/api/v1/products?q=${encodeURIComponent(pick(shop.words, n))}`);
  await s.step("product", "GET", `/api/v1/products/${id}`);
  await s.step("recommendations", "GET", `/api/v1/products/${id}/recommendations?limit=4`);
  await s.step("page.product", "GET", `/products/${id}`, { headers: { accept: "text/html" } });
};

const checkout: Journey = async (s, shop, n) => {
  const email = `loadgen-${process.pid}-${n}-${randomUUID().slice(0, 8)}@example.com`;
  const password = "loadgen password";
  await s.step("register", "POST", "/api/v1/auth/register", { body: { email, password, name: "Load Gen" } });
  const login = await s.step("login", "POST", "/api/v1/auth/login", { body: { email, password } });
  s.token = (JSON.parse(login) as { token: string }).token;
  await s.step("cart.add", "PUT", `/api/v1/cart/items/${pick(shop.buyable, n)}`, { body: { quantity: 1 } });
  await s.step("cart", "GET", "/api/v1/cart");
  await s.step("checkout", "POST", "/api/v1/orders", {
    body: { payment: TEST_CARD },
    headers: { "idempotency-key": randomUUID() },
  });
  await s.step("orders", "GET", "/api/v1/orders?page=1&pageSize=10");
  // Logging out of the API is forgetting the token (JWTs are not revoked): no request.
  s.token = undefined;
};

const JOURNEY: Record<Exclude<JourneyName, "mix">, Journey> = { get, browse, checkout };

/** The shop mix: of every 10 arrivals, 6 browse, 2 read one product, 2 check out (exact counts, no dice). */
const MIX: Exclude<JourneyName, "mix">[] = [
  "browse",
  "get",
  "browse",
  "checkout",
  "browse",
  "get",
  "browse",
  "checkout",
  "browse",
  "browse",
];

export function journeyOf(name: JourneyName, index: number): Exclude<JourneyName, "mix"> {
  return name === "mix" ? MIX[index % MIX.length] : name;
}

export async function runJourney(
  name: JourneyName,
  index: number,
  origin: number,
  client: Client,
  shop: Shop,
  stats: Stats,
): Promise<void> {
  const session = new Session(client, stats, origin);
  try {
    await JOURNEY[journeyOf(name, index)](session, shop, index);
    stats.journeysOk++;
  } catch (err) {
    stats.journeysFailed++;
    // A 2xx whose body was not what the journey expects (no token after a login): counted, never thrown,
    // so one odd answer cannot end the run.
    if (!(err instanceof StepFailed)) stats.exception();
  }
}
