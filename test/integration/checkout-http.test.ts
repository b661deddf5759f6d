import { randomUUID } from "node:crypto";
import {
  call,
  type AuthResult,
  type Cart,
  type Notification,
  type Order,
  type Page,
  type Product,
} from "../../contracts";
import { faultInjection } from "../../dev/fault-injection";
import { request, type RequestOptions } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";
import { eventually } from "../helpers/processes";
import type { SimulatedProvider } from "../../services/payments/domain/simulated-provider";
import type { OrderStore } from "../../services/orders/store";
import { newOrderDoc, orderIdFor } from "../../services/orders/domain/order.rules";

/** Checkout over real HTTP: register → cart → POST /orders, through the gateway, every service on one broker. */
const ALL = ["api", "users", "catalog", "inventory", "cart", "payments", "orders", "notifications"];
const ADMIN = { email: "orders-admin@example.com", password: "orders-admin-password" };
const YEAR = new Date().getUTCFullYear() + 2;
const card = (cardNumber = "4242424242424242") => ({ cardNumber, expMonth: 12, expYear: YEAR, cvc: "123" });

const NO_BODY = Symbol("no body");

type ErrorBody = { name: string; code: number; type: string; data?: { order?: Order } };

let node: TestNode;

const http = <T = unknown>(method: string, path: string, opts: RequestOptions = {}) =>
  request<T>(node.url, method, `/api/v1${path}`, opts);

async function register(): Promise<{ token: string; id: string }> {
  const res = await http<AuthResult>("POST", "/auth/register", {
    body: { email: `shopper-${randomUUID()}@example.com`, password: "password-123", name: "Shopper" },
  });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
  return { token: res.body.token, id: res.body.user.id };
}

async function productWithStock(quantity: number, priceCents = 1500): Promise<Product> {
  const product = await call(node.broker, "catalog.create", {
    sku: `CHK-${randomUUID().slice(0, 8)}`,
    name: "Checkout Mug",
    priceCents,
    currency: "EUR",
    category: "test",
  });
  await call(node.broker, "inventory.set", { productId: product.id, quantity });
  return product;
}

async function addToCart(token: string, productId: string, quantity: number) {
  const res = await http<Cart>("PUT", `/cart/items/${productId}`, { token, body: { quantity } });
  if (res.status !== 200) throw new Error(`cart: ${res.status} ${res.text}`);
}

const checkout = (token: string, key: string | null = randomUUID(), body: unknown = { payment: card() }) =>
  http<Order & ErrorBody>("POST", "/orders", {
    token,
    body,
    headers: key === null ? {} : { "idempotency-key": key },
  });

const stock = (productId: string) => call(node.broker, "inventory.get", { productId });
const provider = () => (node.broker.getLocalService("payments") as unknown as { provider: SimulatedProvider }).provider;

beforeAll(async () => {
  process.env.ADMIN_EMAIL = ADMIN.email;
  process.env.ADMIN_PASSWORD = ADMIN.password;
  node = await startNode(ALL);
});
afterAll(async () => {
  await node?.stop();
  delete process.env.ADMIN_EMAIL;
  delete process.env.ADMIN_PASSWORD;
});

describe("POST /orders", () => {
  it("checks out the cart: 201 CONFIRMED, stock committed, cart emptied, one notification", async () => {
    const user = await register();
    const product = await productWithStock(10, 1250);
    await addToCart(user.token, product.id, 2);

    const res = await checkout(user.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: "CONFIRMED",
      userId: user.id,
      totalCents: 2500,
      currency: "EUR",
      payment: { brand: "visa", last4: "4242" },
      failureReason: null,
      items: [{ productId: product.id, quantity: 2, unitPriceCents: 1250, name: "Checkout Mug" }],
    });
    expect(res.text).not.toContain("4242424242424242");
    // Card data is used for the charge and dropped: the stored order has brand and last4 only.
    const stored = await (node.broker.getLocalService("orders") as unknown as { store: OrderStore }).store.get(
      res.body.id,
    );
    expect(JSON.stringify(stored)).not.toMatch(/4242424242424242|"cvc"|"cardNumber"/);
    expect(await stock(product.id)).toMatchObject({ available: 8, reserved: 0, committed: 2 });
    expect((await http<Cart>("GET", "/cart", { token: user.token })).body.items).toEqual([]);
    expect(await call(node.broker, "payments.get", { orderId: res.body.id })).toMatchObject({
      status: "CHARGED",
      amountCents: 2500,
    });

    const notes = await eventually(async () => {
      const list = await http<Notification[]>("GET", "/notifications", { token: user.token });
      return list.body.length ? list.body : null;
    });
    expect(notes).toHaveLength(1);
    expect(notes![0]).toMatchObject({
      event: "order.confirmed",
      orderId: res.body.id,
      userId: user.id,
      channel: "email",
    });
  });

  it("a declined card: 402, the order FAILED, stock restored, nothing charged, cart kept", async () => {
    const user = await register();
    const product = await productWithStock(3);
    await addToCart(user.token, product.id, 3);

    const res = await checkout(user.token, randomUUID(), { payment: card("4000000000000002") });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 402, type: "PAYMENT_DECLINED" });
    expect(res.body.data?.order).toMatchObject({ status: "FAILED", userId: user.id });
    expect(res.body.data?.order?.failureReason).toBeTruthy();
    const orderId = res.body.data!.order!.id;

    expect(await stock(product.id)).toMatchObject({ available: 3, reserved: 0, committed: 0 });
    expect(await call(node.broker, "payments.get", { orderId })).toBeNull();
    expect((await http<Cart>("GET", "/cart", { token: user.token })).body.items).toHaveLength(1);
    const got = await http<Order>("GET", `/orders/${orderId}`, { token: user.token });
    expect(got.body.status).toBe("FAILED");
    await eventually(async () => {
      const list = await http<Notification[]>("GET", "/notifications", { token: user.token });
      return list.body.length === 1 && list.body[0].event === "order.failed";
    });
  });

  it("not enough stock: 409 and the order REJECTED, nothing reserved or charged", async () => {
    const user = await register();
    const product = await productWithStock(2);
    await addToCart(user.token, product.id, 2);
    await call(node.broker, "inventory.set", { productId: product.id, quantity: 1 });

    const res = await checkout(user.token);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 409, type: "OUT_OF_STOCK" });
    expect(res.body.data?.order).toMatchObject({ status: "REJECTED" });
    expect(await stock(product.id)).toMatchObject({ available: 1, reserved: 0, committed: 0 });
    expect(await call(node.broker, "payments.get", { orderId: res.body.data!.order!.id })).toBeNull();
  });

  it("an empty cart: 422, no order stored", async () => {
    const user = await register();
    const res = await checkout(user.token);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 422, type: "CART_EMPTY" });
    expect((await http<Page<Order>>("GET", "/orders", { token: user.token })).body.total).toBe(0);
  });

  it("20 customers racing for 5 units: exactly 5 CONFIRMED, stock 0", async () => {
    const product = await productWithStock(5, 1000);
    const users = await Promise.all(Array.from({ length: 20 }, () => register()));
    for (const user of users) await addToCart(user.token, product.id, 1);

    const results = await Promise.all(users.map((user) => checkout(user.token)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    expect(await stock(product.id)).toMatchObject({ available: 0, reserved: 0, committed: 5 });

    const confirmed = results.filter((r) => r.status === 201).map((r) => r.body.id);
    for (const id of confirmed) expect(provider().capturedCents(id)).toBe(1000);
    const rejected = results.filter((r) => r.status === 409).map((r) => r.body.data!.order!.id);
    for (const id of rejected) expect(provider().capturedCents(id)).toBe(0);
  });

  it("the same Idempotency-Key twice, in turn and at once: one order, one charge", async () => {
    const user = await register();
    const product = await productWithStock(10, 700);
    await addToCart(user.token, product.id, 1);

    const key = randomUUID();
    const first = await checkout(user.token, key);
    expect(first.status).toBe(201);
    // The cart is empty now; a replay must not care.
    const again = await checkout(user.token, key);
    expect([200, 201]).toContain(again.status);
    expect(again.body).toEqual(first.body);

    await addToCart(user.token, product.id, 1);
    const raceKey = randomUUID();
    const race = await Promise.all([checkout(user.token, raceKey), checkout(user.token, raceKey)]);
    expect(race.map((r) => r.status).every((s) => s === 201 || s === 200)).toBe(true);
    expect(race[0].body).toEqual(race[1].body);

    const orders = await http<Page<Order>>("GET", "/orders", { token: user.token });
    expect(orders.body.total).toBe(2);
    for (const order of orders.body.rows) expect(provider().capturedCents(order.id)).toBe(700);
    expect(await stock(product.id)).toMatchObject({ available: 8, committed: 2, reserved: 0 });

    // Another customer with the same key gets an order of their own.
    const other = await register();
    await addToCart(other.token, product.id, 1);
    const theirs = await checkout(other.token, key);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });
});

describe("GET /orders", () => {
  it("lists own orders newest first, paginated; one order is visible to its owner and admins only", async () => {
    const user = await register();
    const product = await productWithStock(10);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      await addToCart(user.token, product.id, 1);
      const res = await checkout(user.token);
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const page1 = await http<Page<Order>>("GET", "/orders?pageSize=2", { token: user.token });
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ total: 3, page: 1, pageSize: 2, totalPages: 2 });
    const page2 = await http<Page<Order>>("GET", "/orders?pageSize=2&page=2", { token: user.token });
    expect([...page1.body.rows, ...page2.body.rows].map((o) => o.id)).toEqual([...ids].reverse());
    for (const order of page1.body.rows) {
      expect(Object.keys(order).sort()).toEqual(
        [
          "createdAt",
          "currency",
          "failureReason",
          "id",
          "items",
          "payment",
          "status",
          "totalCents",
          "updatedAt",
          "userId",
        ].sort(),
      );
    }

    const stranger = await register();
    expect((await http("GET", `/orders/${ids[0]}`, { token: stranger.token })).status).toBe(404);
    expect((await http<Page<Order>>("GET", "/orders", { token: stranger.token })).body.total).toBe(0);
    expect((await http("GET", `/orders/${ids[0]}`)).status).toBe(401);
    const admin = await http<AuthResult>("POST", "/auth/login", { body: ADMIN });
    expect((await http<Order>("GET", `/orders/${ids[0]}`, { token: admin.body.token })).body.id).toBe(ids[0]);
    expect((await http("GET", "/orders/ffffffffffffffffffffffff", { token: user.token })).status).toBe(404);
  });
});

describe("bad input on the orders routes", () => {
  let user: { token: string; id: string };
  let product: Product;

  beforeAll(async () => {
    user = await register();
    product = await productWithStock(4);
    await addToCart(user.token, product.id, 1);
  });

  const nothingChanged = async () => {
    expect((await http<Page<Order>>("GET", "/orders", { token: user.token })).body.total).toBe(0);
    expect(await stock(product.id)).toMatchObject({ available: 4, reserved: 0, committed: 0 });
  };

  it.each<[string, unknown]>([
    ["no body", NO_BODY],
    ["no payment", {}],
    ["payment as text", { payment: "4242424242424242" }],
    ["a missing cvc", { payment: { cardNumber: "4242424242424242", expMonth: 12, expYear: YEAR } }],
    ["a card number as a number", { payment: { ...card(), cardNumber: 4242424242424242 } }],
    ["a month as text", { payment: { ...card(), expMonth: "12" } }],
    ["month 13", { payment: { ...card(), expMonth: 13 } }],
    ["an operator in the card number", { payment: { ...card(), cardNumber: { $ne: null } } }],
    ["a huge card number", { payment: { ...card(), cardNumber: "4".repeat(100_000) } }],
    ["letters in the card number", { payment: { ...card(), cardNumber: "4242abcd42424242" } }],
    ["a Luhn-invalid number", { payment: { ...card(), cardNumber: "4242424242424241" } }],
    ["an expired card", { payment: { ...card(), expYear: 2001 } }],
    ["extra fields", { payment: card(), userId: "ffffffffffffffffffffffff" }],
    ["an extra card field", { payment: { ...card(), pin: "1234" } }],
    ["an array", [{ payment: card() }]],
  ])("%s → 4xx JSON, nothing stored", async (_case, body) => {
    const res =
      body === NO_BODY
        ? await http<ErrorBody>("POST", "/orders", { token: user.token, headers: { "idempotency-key": randomUUID() } })
        : await checkout(user.token, randomUUID(), body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ code: res.status });
    expect(res.text).not.toContain("4242424242424241");
    await nothingChanged();
  });

  it.each<[string, Record<string, string> | null, string]>([
    ["a missing Idempotency-Key", null, "IDEMPOTENCY_KEY_REQUIRED"],
    ["a short Idempotency-Key", { "idempotency-key": "short" }, "INVALID_IDEMPOTENCY_KEY"],
    ["a huge Idempotency-Key", { "idempotency-key": "k".repeat(5000) }, "INVALID_IDEMPOTENCY_KEY"],
  ])("%s → 400", async (_case, headers, type) => {
    const res = await http<ErrorBody>("POST", "/orders", {
      token: user.token,
      body: { payment: card() },
      headers: headers ?? {},
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, type });
    await nothingChanged();
  });

  it.each<[string, RequestOptions]>([
    ["malformed JSON", { rawBody: '{"payment": {', headers: { "content-type": "application/json" } }],
    ["a text body", { rawBody: "payment=4242424242424242", headers: { "content-type": "text/plain" } }],
    ["a form body", { rawBody: "payment=1", headers: { "content-type": "application/x-www-form-urlencoded" } }],
  ])("%s → 4xx JSON", async (_case, opts) => {
    const res = await http<ErrorBody>("POST", "/orders", {
      ...opts,
      token: user.token,
      headers: { ...opts.headers, "idempotency-key": randomUUID() },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    await nothingChanged();
  });

  it.each([
    ["/orders?page=0"],
    ["/orders?pageSize=1000"],
    ["/orders?page[$gt]=1"],
    ["/orders/not-an-id"],
    ["/orders/%7B%22%24ne%22%3A1%7D"],
  ])("GET %s → 422", async (path) => {
    const res = await http<ErrorBody>("GET", path, { token: user.token });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe(422);
  });

  it("refuses anonymous callers and bad tokens with 401", async () => {
    expect(
      (await http("POST", "/orders", { body: { payment: card() }, headers: { "idempotency-key": randomUUID() } }))
        .status,
    ).toBe(401);
    expect((await http("GET", "/orders", { token: "not-a-token" })).status).toBe(401);
    expect((await http("GET", "/notifications")).status).toBe(401);
    await nothingChanged();
  });
});

describe("FAULTS=payments.charge=error (fault injection in-process)", () => {
  let faulty: TestNode;
  afterAll(() => faulty?.stop());

  it("a failing payments service: the order FAILS with 503, nothing charged, stock back", async () => {
    faulty = await startNode(ALL, { middlewares: [faultInjection("payments.charge=error")] });
    const fhttp = <T = unknown>(method: string, path: string, opts: RequestOptions = {}) =>
      request<T>(faulty.url, method, `/api/v1${path}`, opts);
    const reg = await fhttp<AuthResult>("POST", "/auth/register", {
      body: { email: `fault-${randomUUID()}@example.com`, password: "password-123", name: "F" },
    });
    const product = await call(faulty.broker, "catalog.create", {
      sku: `FLT-${randomUUID().slice(0, 8)}`,
      name: "Fault Mug",
      priceCents: 900,
      currency: "EUR",
      category: "test",
    });
    await call(faulty.broker, "inventory.set", { productId: product.id, quantity: 2 });
    await fhttp("PUT", `/cart/items/${product.id}`, { token: reg.body.token, body: { quantity: 2 } });

    const res = await fhttp<ErrorBody>("POST", "/orders", {
      token: reg.body.token,
      body: { payment: card() },
      headers: { "idempotency-key": randomUUID() },
    });
    expect(res.status).toBe(503);
    const orders = await fhttp<Page<Order>>("GET", "/orders", { token: reg.body.token });
    expect(orders.body.rows).toHaveLength(1);
    expect(orders.body.rows[0].status).toBe("FAILED");
    await eventually(async () => {
      const level = await call(faulty.broker, "inventory.get", { productId: product.id });
      return level.available === 2 && level.reserved === 0;
    });
    expect(await call(faulty.broker, "payments.get", { orderId: orders.body.rows[0].id })).toBeNull();
  });
});

describe("orders.recover", () => {
  it("finishes an order a crashed node left PENDING: not charged → FAILED, stock released, customer notified", async () => {
    const user = await register();
    const product = await productWithStock(6);
    const orders = node.broker.getLocalService("orders") as unknown as { store: OrderStore };
    // What a node that died right after reserving leaves behind: a PENDING order whose lease ran out.
    const cart = {
      items: [{ productId: product.id, name: "Checkout Mug", quantity: 4, unitPriceCents: 1500 }],
      totalCents: 6000,
      currency: "EUR",
    };
    const stale = newOrderDoc(orderIdFor(user.id, randomUUID()), user.id, cart, new Date(Date.now() - 60_000), 1000);
    expect(await orders.store.create(stale)).toBe(true);
    await call(node.broker, "inventory.reserve", {
      orderId: stale._id,
      items: [{ productId: product.id, quantity: 4 }],
    });
    expect(await stock(product.id)).toMatchObject({ available: 2, reserved: 4 });

    expect(await call(node.broker, "orders.recover", {})).toEqual({ recovered: 1 });
    const order = await http<Order>("GET", `/orders/${stale._id}`, { token: user.token });
    expect(order.body).toMatchObject({ status: "FAILED" });
    expect(order.body.failureReason).toMatch(/interrupted/);
    expect(await stock(product.id)).toMatchObject({ available: 6, reserved: 0, committed: 0 });
    await eventually(async () => {
      const list = await http<Notification[]>("GET", "/notifications", { token: user.token });
      return list.body.length === 1 && list.body[0].event === "order.failed";
    });
    // Nothing left to recover.
    expect(await call(node.broker, "orders.recover", {})).toEqual({ recovered: 0 });
  });
});
