import type { Middleware } from "moleculer";
import { answerOf, localBroker, verifyProvider } from "./pact";

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

  async function verifyAgainst(change: (product: Record<string, unknown>) => void): Promise<string> {
    const broker = await localBroker(
      ["catalog"],
      [{ name: "inventory", actions: { availability: () => ({}) } }],
      [brokenCatalog(change)],
    );
    const logged: string[] = [];
    const log = jest.spyOn(console, "log").mockImplementation((...args) => void logged.push(args.join(" ")));
    const err = jest.spyOn(console, "error").mockImplementation((...args) => void logged.push(args.join(" ")));
    try {
      await verifyProvider({
        provider: "catalog",
        consumers: ["cart"],
        states: { "the demo catalog is seeded": async () => undefined },
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
});
