import { MatchersV3 as M } from "@pact-foundation/pact";
import type { ServiceBroker } from "moleculer";
import { call, type Caller, type Page, type Product } from "../../../contracts";
import { consumerPact, expectAction, expectEvent, localBroker, settle, type ActionAnswer } from "../pact";
import { CONTRACT_IDS } from "../states";

/** What inventory needs from the catalog: products it may stock, every product, and new ones. */
describe("inventory → catalog", () => {
  const pact = consumerPact("inventory", "catalog");
  const admin: Caller = { id: CONTRACT_IDS.user, email: "admin@example.com", role: "admin" };
  let getAnswer: ActionAnswer<Product>;
  let listAnswer: ActionAnswer<Page<Product>>;
  let broker: ServiceBroker;

  beforeAll(async () => {
    listAnswer = { result: { rows: [], total: 0, page: 1, pageSize: 100, totalPages: 0 } };
    broker = await localBroker(
      ["inventory"],
      [{ name: "catalog", actions: { get: () => settle(getAnswer), list: () => settle(listAnswer) } }],
    );
  });
  afterAll(() => broker.stop());

  const setStock = (productId: string) =>
    call(broker, "inventory.set", { productId, quantity: 3 }, { meta: { user: admin } });

  it("catalog.get: any answer but an error means the product exists", () =>
    expectAction<Product>(
      pact,
      {
        state: "the demo catalog is seeded",
        description: "catalog.get answers an existing product",
        action: "catalog.get",
        params: { id: CONTRACT_IDS.product },
        answer: { result: { id: CONTRACT_IDS.product } },
      },
      async (a) => {
        getAnswer = a;
        expect(await setStock(CONTRACT_IDS.product)).toMatchObject({ productId: CONTRACT_IDS.product, available: 3 });
      },
    ));

  it("catalog.get: 404 means there is nothing to stock", () =>
    expectAction<Product>(
      pact,
      {
        state: "the demo catalog is seeded",
        description: "catalog.get answers 404 for an unknown product",
        action: "catalog.get",
        params: { id: CONTRACT_IDS.unknownProduct },
        answer: { error: { name: M.like("NotFoundError"), code: 404, type: "NOT_FOUND" } },
      },
      async (a) => {
        getAnswer = a;
        await expect(setStock(CONTRACT_IDS.unknownProduct)).rejects.toMatchObject({ code: 404 });
      },
    ));

  it("catalog.list: pages of product ids, to give every product a stock level", () =>
    expectAction<Page<Product>>(
      pact,
      {
        state: "the demo catalog is seeded",
        description: "catalog.list answers the first page of products",
        action: "catalog.list",
        params: { page: 1, pageSize: 100 },
        answer: { result: { rows: M.eachLike({ id: M.like(CONTRACT_IDS.product) }), totalPages: M.integer(1) } },
      },
      async (a) => {
        listAnswer = a;
        const inventory = broker.getLocalService("inventory") as unknown as { reconcileWithCatalog(): Promise<void> };
        await inventory.reconcileWithCatalog();
        const level = await call(broker, "inventory.get", { productId: CONTRACT_IDS.product });
        expect(level.productId).toBe(CONTRACT_IDS.product);
        expect(await call(broker, "inventory.availability", { productIds: [CONTRACT_IDS.product] })).toHaveProperty(
          CONTRACT_IDS.product,
        );
      },
    ));
});

describe("inventory ← catalog events", () => {
  const pact = consumerPact("inventory", "catalog-events");
  let broker: ServiceBroker;

  beforeAll(async () => {
    broker = await localBroker(
      ["inventory"],
      [{ name: "catalog", actions: { list: () => ({ rows: [], totalPages: 0 }) } }],
    );
  });
  afterAll(() => broker.stop());

  it("catalog.product.created: the new product's id gets a stock level", () =>
    expectEvent<Product>(
      pact,
      {
        state: "a product is created",
        description: "catalog.product.created announces a new product",
        event: "catalog.product.created",
        payload: { id: M.regex(/^[0-9a-f]{24}$/, "bbbbbbbbbbbbbbbbbbbbbbbb") },
      },
      async (payload) => {
        await broker.emit("catalog.product.created", payload);
        const levels = await call(broker, "inventory.availability", { productIds: [payload.id] });
        expect(levels[payload.id]).toBeGreaterThanOrEqual(0);
        const level = await call(broker, "inventory.get", { productId: payload.id });
        expect(level.updatedAt).toEqual(expect.any(String));
      },
    ));
});
