import type { Middleware } from "moleculer";
import { answerOf, localBroker, verifyProvider } from "./pact";
import { CONTRACT_IDS } from "./states";

/**
 * The net works: a catalog that renames or retypes a field its consumers
 * read fails verification, and the failure names the consumer and the field.
 */
describe("a provider that breaks a consumer's expectation fails verification", () => {
  /** A catalog whose catalog.get answers are changed by `change` (a broken release). */
  function brokenCatalog(change: (product: Record<string, unknown>) => void): Middleware {
    return {
      name: "BrokenCatalog",
      localAction(next, action) {
        if (action.name !== "catalog.get") return next;
        return async function (this: ThisParameterType<typeof next>, ctx) {
          const product = (await next.call(this, ctx)) as Record<string, unknown>;
          change(product);
          return product;
        };
      },
    };
  }

  async function verifyAgainst(
    change: (product: Record<string, unknown>) => void,
    consumer: "cart" | "web" = "cart",
  ): Promise<string> {
    const broker = await localBroker(
      ["catalog"],
      [
        { name: "inventory", actions: { availability: () => ({}) } },
        {
          name: "recommendations",
          actions: { forProduct: () => ({ productId: CONTRACT_IDS.product, productIds: [], basis: "category" }) },
        },
      ],
      [brokenCatalog(change)],
    );
    const logged: string[] = [];
    const log = jest.spyOn(console, "log").mockImplementation((...args) => void logged.push(args.join(" ")));
    const err = jest.spyOn(console, "error").mockImplementation((...args) => void logged.push(args.join(" ")));
    try {
      await verifyProvider({
        provider: "catalog",
        consumers: [consumer],
        states: {
          "the demo catalog is seeded": async () => undefined,
          "the demo catalog is seeded and a recommendations node answers": async () => undefined,
        },
        produce: (metadata) => answerOf(broker, metadata),
      });
      return "verified";
    } catch (e) {
      return `${(e as Error).message}\n${logged.join("\n")}`;
    } finally {
      log.mockRestore();
      err.mockRestore();
      await broker.stop();
    }
  }

  it("a renamed field (priceCents → price)", async () => {
    const failure = await verifyAgainst((p) => {
      p.price = p.priceCents;
      delete p.priceCents;
    });
    expect(failure).not.toBe("verified");
    expect(failure).toMatch(/between cart and catalog/);
    expect(failure).toMatch(/missing the following keys: priceCents/);
  });

  it("a changed type (priceCents as a string)", async () => {
    const failure = await verifyAgainst((p) => {
      p.priceCents = String(p.priceCents);
    });
    expect(failure).not.toBe("verified");
    expect(failure).toMatch(/between cart and catalog/);
    expect(failure).toMatch(/\$\.result\.priceCents/);
  });

  it("a dropped field only a storefront page reads (the product's description)", async () => {
    const failure = await verifyAgainst((p) => {
      delete p.description;
    }, "web");
    expect(failure).not.toBe("verified");
    expect(failure).toMatch(/between web and catalog/);
    expect(failure).toMatch(/missing the following keys: description/);
  });
});
