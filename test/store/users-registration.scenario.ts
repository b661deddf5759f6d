import { request } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";
import type { AuthResult } from "../../contracts";

/**
 * One account per email under concurrency, run by one suite per store:
 * concurrent registrations of the same address (in different spellings)
 * through the gateway give exactly one 201 and the rest 409, and one stored
 * user. The guarantee is the email-derived `_id`, so it holds on a store that
 * does not enforce unique secondary indexes.
 */
export function usersRegistrationScenario(storeName: string): void {
  describe(`registration under concurrency (${storeName})`, () => {
    let node: TestNode;

    beforeAll(async () => {
      node = await startNode(["api", "users"]);
    });
    afterAll(async () => {
      await node?.stop();
    });

    it("20 concurrent registrations of one email: exactly one account", async () => {
      const email = `race-${Date.now()}@example.com`;
      const spellings = [email, email.toUpperCase(), ` ${email} `];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          request<AuthResult>(node.url, "POST", "/api/v1/auth/register", {
            body: { email: spellings[i % spellings.length], password: `password-${i}`, name: `Racer ${i}` },
          }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);

      const users = node.broker.getLocalService("users") as unknown as {
        adapter: { find(o: object): Promise<{ email: string }[]> };
      };
      const stored = (await users.adapter.find({ query: { email } })) as { email: string }[];
      expect(stored).toHaveLength(1);

      const winner = statuses.indexOf(201);
      const login = await request<AuthResult>(node.url, "POST", "/api/v1/auth/login", {
        body: { email, password: `password-${winner}` },
      });
      expect(login.status).toBe(200);
      expect(login.body.user.id).toBe(results[winner].body.user.id);
    });

    it("resolves tokens and answers /me from this store", async () => {
      const reg = await request<AuthResult>(node.url, "POST", "/api/v1/auth/register", {
        body: { email: `me-${Date.now()}@example.com`, password: "password-me", name: "Me" },
      });
      expect(reg.status).toBe(201);
      const me = await request(node.url, "GET", "/api/v1/me", { token: reg.body.token });
      expect(me.status).toBe(200);
      expect(me.body).toEqual(reg.body.user);
    });
  });
}
