import { call } from "../../../contracts";
import { answerOf, verifyProvider } from "../pact";
import { VERIFIED } from "../verifications";
import { CONTRACT_SESSION } from "../states";
import { ProviderNode } from "./provider";

/** Users against what the storefront expects of it: sessions, sign-in and registration. */
describe("users honours its consumers' pacts", () => {
  const node = new ProviderNode(["users"]);
  afterAll(() => node.stop());

  it("resolveToken, login, register", () =>
    verifyProvider({
      provider: "users",
      consumers: VERIFIED["users"],
      states: {
        // The contract session token is signed for this account's id (states.ts).
        "the contract customer is registered": async () => {
          const broker = await node.fresh();
          await call(broker, "users.register", {
            email: CONTRACT_SESSION.email,
            password: CONTRACT_SESSION.password,
            name: CONTRACT_SESSION.name,
          });
        },
      },
      produce: async (metadata) => answerOf(await node.current(), metadata),
    }));
});
