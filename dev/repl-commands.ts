import { randomBytes, randomUUID } from "node:crypto";
import type { ReplOptions, ServiceBroker } from "moleculer";
import { call, type Caller, type NewProduct, type Order } from "../contracts";
import { config } from "../platform/config";
import { systemCaller } from "../platform/security/system-caller";

export type ReplCommand = NonNullable<ReplOptions["customCommands"]>[number];

/** What moleculer-repl passes a custom command: parsed --options and the raw line. */
interface ReplArgs {
  options?: Record<string, string | boolean | undefined>;
}

/** The card the simulated payment provider always approves. */
export const TEST_CARD = "4242424242424242";

export interface SeedResult {
  created: number;
  updated: number;
  skipped: string[];
  stockPerProduct: number;
}

/** What the commands need from the services, passed in by whoever wires the REPL (moleculer.config.ts). */
export interface DemoData {
  /** The products `seed` resets (the catalog's demo set). */
  products: readonly NewProduct[];
}

/**
 * Resets the demo data through the services' own actions: every demo product
 * exists, active, with its demo name and price, and has `stock` units
 * available. Other products are left alone.
 */
export async function seedDemoData(broker: ServiceBroker, demo: DemoData, stock: number): Promise<SeedResult> {
  // Seeding is the platform acting as itself (admin actions, audited).
  const system = systemCaller(broker, "repl.seed");
  const existing = new Map<string, string>();
  for (let page = 1; ; page++) {
    const result = await call(system, "catalog.list", { page, pageSize: 100 });
    for (const p of result.rows) existing.set(p.sku, p.id);
    if (page >= result.totalPages) break;
  }
  const result: SeedResult = { created: 0, updated: 0, skipped: [], stockPerProduct: stock };
  for (const product of demo.products) {
    let id = existing.get(product.sku);
    if (id) {
      await call(system, "catalog.update", { id, ...product, active: true });
      result.updated++;
    } else {
      try {
        id = (await call(system, "catalog.create", product)).id;
        result.created++;
      } catch (err) {
        // An inactive product holds the sku; an admin deactivated it on purpose.
        if ((err as { code?: number }).code !== 409) throw err;
        result.skipped.push(product.sku);
        continue;
      }
    }
    await call(system, "inventory.set", { productId: id, quantity: stock });
  }
  return result;
}

/**
 * The whole shop in one go, as a new customer would use it: register, put two
 * products that are in stock into the cart, check out with the test card.
 */
export async function checkoutDemo(broker: ServiceBroker, cardNumber = TEST_CARD): Promise<Order> {
  const suffix = randomBytes(4).toString("hex");
  const { user } = await call(broker, "users.register", {
    email: `demo-${suffix}@example.com`,
    password: randomBytes(12).toString("base64url"),
    name: `Demo Shopper ${suffix}`,
  });
  const meta = { user: { id: user.id, email: user.email, role: user.role } satisfies Caller };

  const products = (await call(broker, "catalog.list", { pageSize: 100, sort: "name" })).rows;
  const available = await call(systemCaller(broker, "repl.checkout-demo"), "inventory.availability", {
    productIds: products.map((p) => p.id),
  });
  const picks = products.filter((p) => (available[p.id] ?? 0) > 0).slice(0, 2);
  if (picks.length < 2) throw new Error("Fewer than two products are in stock: run `seed` first.");
  for (const [i, product] of picks.entries()) {
    await call(broker, "cart.setItem", { productId: product.id, quantity: i + 1 }, { meta });
  }

  return call(
    broker,
    "orders.checkout",
    { payment: { cardNumber, expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: "123" } },
    { meta: { ...meta, idempotencyKey: randomUUID() } },
  );
}

function describeOrder(order: Order): string {
  const lines = order.items.map(
    (i) => `  ${i.quantity} × ${i.name.padEnd(24)} ${(i.unitPriceCents / 100).toFixed(2)} ${order.currency}`,
  );
  return [
    `Order ${order.id}: ${order.status}`,
    ...lines,
    `  total ${(order.totalCents / 100).toFixed(2)} ${order.currency}, paid by ${order.payment?.brand ?? "-"} ****${order.payment?.last4 ?? "----"}`,
  ].join("\n");
}

/** Custom REPL commands (`npm run dev`, moleculer-runner --repl): `seed` and `checkout-demo`. */
export const replCommands = (demo: DemoData): ReplCommand[] => [
  {
    command: "seed",
    description: "Reset the demo catalog and give every demo product DEMO_STOCK (50) units",
    options: [{ option: "--stock <quantity>", description: "units per product (default DEMO_STOCK or 50)" }],
    async action(broker: ServiceBroker, args: unknown) {
      const stock = Number((args as ReplArgs)?.options?.stock ?? config.DEMO_STOCK);
      if (!Number.isInteger(stock) || stock < 0) {
        console.log("--stock must be a whole number ≥ 0");
        return;
      }
      const result = await seedDemoData(broker, demo, stock);
      console.log(
        `Seeded ${demo.products.length - result.skipped.length} demo products ` +
          `(${result.created} created, ${result.updated} reset), ${stock} units each.` +
          (result.skipped.length ? ` Skipped (inactive): ${result.skipped.join(", ")}.` : ""),
      );
    },
  },
  {
    command: "checkout-demo",
    description: "Register a new user, fill a cart with two products and check out with the test card",
    async action(broker: ServiceBroker) {
      try {
        const order = await checkoutDemo(broker);
        console.log(describeOrder(order));
        console.log(JSON.stringify(order, null, 2));
      } catch (err) {
        const e = err as { message?: string; data?: { order?: Order } };
        console.log(`Checkout failed: ${e.message}`);
        if (e.data?.order) console.log(describeOrder(e.data.order));
      }
    },
  },
];
