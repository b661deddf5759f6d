import { call, type Caller } from "../../../contracts";
import { NotFoundError } from "../../../platform/core/errors";
import { CARD } from "../../helpers/fake-shop";
import { answerOf, verifyProvider } from "../pact";
import { VERIFIED } from "../verifications";
import { CONTRACT_IDS, CONTRACT_ORDER } from "../states";
import { ProviderNode } from "./provider";

/** The services the checkout calls, against what orders (and, for cart and notifications, the storefront) expects of them. */
describe("payments, cart and notifications honour the orders pacts", () => {
  const customer: Caller = { id: CONTRACT_IDS.user, email: "pact@example.com", role: "customer" };
  const payments = new ProviderNode(["payments"]);
  const cart = new ProviderNode(["cart"], () => [
    {
      name: "catalog",
      actions: {
        get: (ctx: { params: { id: string } }) => {
          if (ctx.params.id !== CONTRACT_IDS.product) throw new NotFoundError("Product", ctx.params.id);
          return { id: CONTRACT_IDS.product, name: "Stoneware Mug", priceCents: 1400, currency: "EUR", active: true };
        },
      },
    },
  ]);
  const notifications = new ProviderNode(["notifications"]);
  afterAll(() => Promise.all([payments.stop(), cart.stop(), notifications.stop()]));

  it("payments.charge, payments.get, payments.refund", () =>
    verifyProvider({
      provider: "payments",
      consumers: VERIFIED["payments"],
      states: {
        "no payment exists for the contract order": () => payments.fresh(),
        "the contract order was charged": async () => {
          const broker = await payments.fresh();
          await call(broker, "payments.charge", {
            orderId: CONTRACT_ORDER,
            amountCents: 2800,
            currency: "EUR",
            card: CARD,
          });
        },
      },
      produce: async (metadata) => answerOf(await payments.current(), metadata),
    }));

  it("cart.snapshot, cart.empty, cart.get, cart.setItem, cart.removeItem", () =>
    verifyProvider({
      provider: "cart",
      consumers: VERIFIED["cart"],
      states: {
        "the contract user has 2 of the contract product in the cart": async () => {
          const broker = await cart.fresh();
          await call(
            broker,
            "cart.setItem",
            { productId: CONTRACT_IDS.product, quantity: 2 },
            { meta: { user: customer } },
          );
        },
      },
      produce: async (metadata) => answerOf(await cart.current(), metadata),
    }));

  it("notifications.record, notifications.list", () =>
    verifyProvider({
      provider: "notifications",
      consumers: VERIFIED["notifications"],
      states: {
        "no notification exists for the contract order": () => notifications.fresh(),
        "the contract user was notified of the contract order": async () => {
          const broker = await notifications.fresh();
          await call(broker, "notifications.record", {
            eventId: `${CONTRACT_ORDER}:order.confirmed`,
            orderId: CONTRACT_ORDER,
            userId: CONTRACT_IDS.user,
            totalCents: 2800,
            currency: "EUR",
            items: [{ productId: CONTRACT_IDS.product, quantity: 2 }],
            occurredAt: "2030-01-01T00:00:00.000Z",
          });
        },
      },
      produce: async (metadata) => answerOf(await notifications.current(), metadata),
    }));
});
