import { call, type Order } from "../../contracts";
import { replCommands } from "../../dev/repl-commands";
import { demoProducts } from "../../services/catalog/demo-products";
import { startNode, type TestNode } from "../helpers/node";

/** The custom REPL commands, called the way moleculer-repl calls them, against a broker running every service. */
describe("REPL commands", () => {
  let node: TestNode;
  let printed: string[];

  const command = (name: string) => {
    const found = replCommands({ products: demoProducts }).find((c) => c.command === name);
    if (!found) throw new Error(`no REPL command ${name}`);
    return found;
  };
  const run = async (name: string, args: unknown = { options: {} }) => {
    printed = [];
    await command(name).action(node.broker, args as string[], {});
    return printed.join("\n");
  };

  beforeAll(async () => {
    node = await startNode(["users", "catalog", "inventory", "cart", "payments", "orders", "notifications"]);
  });
  beforeEach(() => {
    jest.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(" "));
    });
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => node?.stop());

  it("declares seed and checkout-demo with descriptions", () => {
    for (const name of ["seed", "checkout-demo"]) expect(command(name).description).toBeTruthy();
  });

  it("seed resets the demo catalog and its stock", async () => {
    const list = await call(node.broker, "catalog.list", { q: "Stoneware Mug" });
    const mug = list.rows[0];
    await call(node.broker, "catalog.update", { id: mug.id, priceCents: 1 });
    await call(node.broker, "inventory.set", { productId: mug.id, quantity: 0 });

    const out = await run("seed", { options: { stock: "7" } });
    expect(out).toMatch(/Seeded 24 demo products .* 7 units each/);
    expect((await call(node.broker, "catalog.get", { id: mug.id })).priceCents).toBe(1400);
    expect((await call(node.broker, "inventory.get", { productId: mug.id })).available).toBe(7);
  });

  it("seed refuses a bad --stock", async () => {
    expect(await run("seed", { options: { stock: "-3" } })).toMatch(/--stock must be/);
  });

  it("checkout-demo registers a user, fills a cart and prints the CONFIRMED order", async () => {
    await run("seed", { options: { stock: "5" } });
    const out = await run("checkout-demo");
    const match = /^Order ([0-9a-f]{24}): CONFIRMED/m.exec(out);
    expect(match).not.toBeNull();
    expect(out).toMatch(/visa \*\*\*\*4242/);
    expect(out).not.toContain("4242424242424242");

    const order = JSON.parse(out.slice(out.indexOf("{"))) as Order;
    expect(order.id).toBe(match![1]);
    expect(order.items).toHaveLength(2);
    const admin = { id: "ffffffffffffffffffffffff", email: "admin@example.com", role: "admin" as const };
    const stored = await call(node.broker, "orders.get", { id: order.id }, { meta: { user: admin } });
    expect(stored.status).toBe("CONFIRMED");
    for (const item of order.items) {
      expect((await call(node.broker, "inventory.get", { productId: item.productId })).committed).toBe(item.quantity);
    }
  });
});
