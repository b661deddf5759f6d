import { call, type Caller, type Cart, type Product } from "../../contracts";
import { newId } from "../../platform/core/ids";
import { startNode, type TestNode } from "../helpers/node";

/** The cart on a local broker with the catalog: own cart from ctx.meta.user, current prices, bad input. */
describe("cart service", () => {
  let node: TestNode;
  let counter = 0;

  const customer = (): Caller => ({ id: newId(), email: `c${++counter}@example.com`, role: "customer" });
  const as = (user: Caller | null) => ({ meta: { user } });

  async function product(fields: Partial<Product> = {}): Promise<Product> {
    return call(node.broker, "catalog.create", {
      sku: `CRT-${Date.now()}-${++counter}`,
      name: `Cart item ${counter}`,
      priceCents: 1250,
      currency: "EUR",
      category: "test",
      ...fields,
    });
  }
  const setItem = (user: Caller, productId: string, quantity: unknown) =>
    call(node.broker, "cart.setItem", { productId, quantity: quantity as number }, as(user));
  const getCart = (user: Caller) => call(node.broker, "cart.get", {}, as(user));

  beforeAll(async () => {
    node = await startNode(["catalog", "cart"]);
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("an empty cart is in the default currency", async () => {
    expect(await getCart(customer())).toEqual({ items: [], totalCents: 0, currency: "EUR" });
  });

  it("setting an item reads each product of the cart from the catalog once", async () => {
    const user = customer();
    const [a, b] = [await product(), await product()];
    await setItem(user, a.id, 1);
    const calls = jest.spyOn(node.broker, "call");
    try {
      const cart = await setItem(user, b.id, 2);
      expect(cart.items.map((l) => [l.productId, l.quantity])).toEqual([
        [a.id, 1],
        [b.id, 2],
      ]);
      const reads = calls.mock.calls.filter(([name]) => name === "catalog.get").map(([, params]) => params);
      // b for the request itself; a for each of the two views (before and after the change), b never again.
      expect(reads).toEqual([{ id: b.id }, { id: a.id }, { id: a.id }]);
    } finally {
      calls.mockRestore();
    }
  });

  it("adds, changes, removes and clears lines, with totals", async () => {
    const user = customer();
    const [a, b] = [await product({ priceCents: 1000 }), await product({ priceCents: 250 })];
    await setItem(user, a.id, 2);
    let cart: Cart = await setItem(user, b.id, 3);
    expect(cart).toEqual({
      items: [
        { productId: a.id, name: a.name, quantity: 2, unitPriceCents: 1000 },
        { productId: b.id, name: b.name, quantity: 3, unitPriceCents: 250 },
      ],
      totalCents: 2750,
      currency: "EUR",
    });
    // Changing a quantity keeps the line's place.
    cart = await setItem(user, a.id, 5);
    expect(cart.items.map((l) => [l.productId, l.quantity])).toEqual([
      [a.id, 5],
      [b.id, 3],
    ]);
    expect(cart.totalCents).toBe(5750);
    cart = await call(node.broker, "cart.removeItem", { productId: a.id }, as(user));
    expect(cart.items.map((l) => l.productId)).toEqual([b.id]);
    expect(await getCart(user)).toEqual(cart);
    expect(await call(node.broker, "cart.clear", {}, as(user))).toEqual({ items: [], totalCents: 0, currency: "EUR" });
  });

  it("each user sees only their own cart", async () => {
    const [alice, bob] = [customer(), customer()];
    const p = await product();
    await setItem(alice, p.id, 1);
    expect((await getCart(alice)).items).toHaveLength(1);
    expect((await getCart(bob)).items).toHaveLength(0);
    await call(node.broker, "cart.clear", {}, as(bob));
    expect((await getCart(alice)).items).toHaveLength(1);
  });

  it("refuses callers without a user", async () => {
    await expect(call(node.broker, "cart.get", {}, as(null))).rejects.toMatchObject({ code: 401 });
    await expect(call(node.broker, "cart.get", {})).rejects.toMatchObject({ code: 401 });
  });

  it("unknown product → 404, inactive → 422, another currency → 422", async () => {
    const user = customer();
    await expect(setItem(user, newId(), 1)).rejects.toMatchObject({ code: 404 });
    const inactive = await product({ active: false });
    await expect(setItem(user, inactive.id, 1)).rejects.toMatchObject({ code: 422, type: "PRODUCT_INACTIVE" });
    await setItem(user, (await product()).id, 1);
    const dollars = await product({ currency: "USD" });
    await expect(setItem(user, dollars.id, 1)).rejects.toMatchObject({ code: 422, type: "CURRENCY_MISMATCH" });
    expect((await getCart(user)).items).toHaveLength(1);
  });

  it("shows current catalog names and prices, and drops removed or deactivated products", async () => {
    const user = customer();
    const [a, b, c] = [await product(), await product(), await product()];
    for (const p of [a, b, c]) await setItem(user, p.id, 1);
    await call(node.broker, "catalog.update", { id: a.id, priceCents: 999, name: "Renamed" });
    await call(node.broker, "catalog.remove", { id: b.id });
    await call(node.broker, "catalog.update", { id: c.id, active: false });
    const snapshot = await call(node.broker, "cart.snapshot", { userId: user.id });
    expect(snapshot).toEqual({
      items: [{ productId: a.id, name: "Renamed", quantity: 1, unitPriceCents: 999 }],
      totalCents: 999,
      currency: "EUR",
    });
    expect(await getCart(user)).toEqual(snapshot);
  });

  it("cart.empty empties a user's cart; snapshot of a user without a cart is empty", async () => {
    const user = customer();
    await setItem(user, (await product()).id, 2);
    expect(await call(node.broker, "cart.empty", { userId: user.id })).toEqual({
      items: [],
      totalCents: 0,
      currency: "EUR",
    });
    expect((await getCart(user)).items).toEqual([]);
    expect((await call(node.broker, "cart.snapshot", { userId: newId() })).items).toEqual([]);
  });

  it.each([
    ["0", 0],
    ["100", 100],
    ["-1", -1],
    ["a fraction", 1.5],
    ["text", "abc"],
    ["a numeric string", "2"],
    ["an operator", { $gt: 0 }],
    ["null", null],
  ])("refuses quantity %s with 422 and changes nothing", async (_name, quantity) => {
    const user = customer();
    const p = await product();
    await setItem(user, p.id, 1);
    await expect(setItem(user, p.id, quantity)).rejects.toMatchObject({ code: 422 });
    expect((await getCart(user)).items).toEqual([expect.objectContaining({ productId: p.id, quantity: 1 })]);
  });

  it("refuses malformed product ids and extra fields with 422", async () => {
    const user = customer();
    const bad: unknown[] = [
      { productId: "nope", quantity: 1 },
      { productId: { $ne: "" }, quantity: 1 },
      { productId: "a".repeat(100_000), quantity: 1 },
      { productId: newId(), quantity: 1, unitPriceCents: 1 },
    ];
    for (const params of bad) {
      await expect(call(node.broker, "cart.setItem", params as never, as(user))).rejects.toMatchObject({ code: 422 });
    }
    await expect(call(node.broker, "cart.snapshot", { userId: { $ne: "" } } as never)).rejects.toMatchObject({
      code: 422,
    });
    expect((await getCart(user)).items).toEqual([]);
  });
});
