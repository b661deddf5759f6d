import { MatchersV3 as M } from "@pact-foundation/pact";
import type { Notification } from "../../../../contracts";
import { consumerPact, expectAction } from "../../pact";
import { CONTRACT_ORDER } from "../../states";
import { CUSTOMER, ISO_DATE, Storefront } from "./storefront";

/** What the notifications page needs: the customer's notifications. */
describe("web → notifications", () => {
  const pact = consumerPact("web", "notifications");
  const shop = new Storefront();
  beforeAll(() => shop.start());
  afterAll(() => shop.stop());

  it("notifications.list: the signed-in customer's notifications", () =>
    expectAction<Notification[]>(
      pact,
      {
        state: "the contract user was notified of the contract order",
        description: "notifications.list answers the customer's notifications",
        action: "notifications.list",
        params: {},
        meta: { user: CUSTOMER },
        answer: {
          result: M.eachLike({
            orderId: CONTRACT_ORDER,
            channel: M.like("email"),
            subject: M.like("Your order is confirmed"),
            body: M.like("Thank you for your order."),
            createdAt: M.regex(ISO_DATE, "2030-01-01T00:00:00.000Z"),
          }),
        },
      },
      async (a) => {
        shop.signedIn = CUSTOMER;
        shop.answer("notifications.list", a);
        const page = await shop.request("web.notifications", {});
        expect(shop.calls("notifications.list")[0].meta.user).toEqual(CUSTOMER);
        expect(page.body).toContain(`data-order-id="${CONTRACT_ORDER}"`);
      },
    ));
});
