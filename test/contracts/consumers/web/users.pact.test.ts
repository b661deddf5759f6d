import { MatchersV3 as M } from "@pact-foundation/pact";
import type { AuthResult, Caller, UserContact } from "../../../../contracts";
import { consumerPact, expectAction } from "../../pact";
import { CONTRACT_ORDER, CONTRACT_SESSION } from "../../states";
import { ADMIN, Storefront } from "./storefront";

/** What the storefront needs from users: its session cookie resolved, sign-in and registration forms answered. */
describe("web → users", () => {
  const pact = consumerPact("web", "users");
  const shop = new Storefront();
  beforeAll(() => shop.start());
  afterAll(() => shop.stop());
  beforeEach(() => shop.reset());

  const sessionCookie = (cookies: string[]) => cookies.find((c) => c.startsWith("agora_session="));

  it("users.resolveToken: the signed-in customer", () =>
    expectAction<Caller | null>(
      pact,
      {
        state: "the contract customer is registered",
        description: "users.resolveToken answers the customer a session token stands for",
        action: "users.resolveToken",
        params: { token: CONTRACT_SESSION.token },
        answer: {
          result: {
            id: M.regex(/^[0-9a-f]{24}$/, CONTRACT_SESSION.userId),
            email: M.like(CONTRACT_SESSION.email),
            role: M.regex(/^(customer|admin)$/, "customer"),
          },
        },
      },
      async (a) => {
        shop.answer("users.resolveToken", a);
        const page = await shop.request("web.catalog", {}, { cookie: `agora_session=${CONTRACT_SESSION.token}` });
        expect(shop.calls("users.resolveToken").map((c) => c.params)).toEqual([{ token: CONTRACT_SESSION.token }]);
        // Signed in: the header offers the orders and the sign-out, and the cart badge was asked for.
        expect(page.body).toContain('action="/logout"');
        expect(shop.calls("cart.get")[0].meta.user).toMatchObject({ id: CONTRACT_SESSION.userId });
      },
    ));

  it("users.resolveToken: null for a token it does not accept (the browser is signed out)", () =>
    expectAction<Caller | null>(
      pact,
      {
        state: "the contract customer is registered",
        description: "users.resolveToken answers null for a forged token",
        action: "users.resolveToken",
        params: { token: "not-a-token" },
        answer: { result: null },
      },
      async (a) => {
        shop.answer("users.resolveToken", a);
        const page = await shop.request("web.catalog", {}, { cookie: "agora_session=not-a-token" });
        expect(page.body).toContain('href="/login"');
        expect(sessionCookie(page.cookies)).toMatch(/Max-Age=0/);
      },
    ));

  it("users.login: a token for the right password", () =>
    expectAction<AuthResult>(
      pact,
      {
        state: "the contract customer is registered",
        description: "users.login answers a token for the contract customer's password",
        action: "users.login",
        params: { email: CONTRACT_SESSION.email, password: CONTRACT_SESSION.password },
        answer: { result: { token: M.like(CONTRACT_SESSION.token) } },
      },
      async (a) => {
        shop.answer("users.login", a);
        const reply = await shop.request(
          "web.login",
          { email: CONTRACT_SESSION.email, password: CONTRACT_SESSION.password, next: "/orders" },
          { post: true },
        );
        expect(reply.location).toBe("/orders");
        expect(sessionCookie(reply.cookies)).toContain(`agora_session=${CONTRACT_SESSION.token}`);
      },
    ));

  it("users.login: 401 for a wrong password (the form says so)", () =>
    expectAction<AuthResult>(
      pact,
      {
        state: "the contract customer is registered",
        description: "users.login answers 401 for a wrong password",
        action: "users.login",
        params: { email: CONTRACT_SESSION.email, password: "wrong-password" },
        answer: { error: { name: M.like("UnAuthorizedError"), code: 401, type: M.like("INVALID_CREDENTIALS") } },
      },
      async (a) => {
        shop.answer("users.login", a);
        const reply = await shop.request(
          "web.login",
          { email: CONTRACT_SESSION.email, password: "wrong-password" },
          { post: true },
        );
        expect(reply.status).toBe(401);
        expect(reply.body).toContain("The email or password is wrong.");
      },
    ));

  it("users.register: a new account and its token", () =>
    expectAction<AuthResult>(
      pact,
      {
        state: "the contract customer is registered",
        description: "users.register answers a token for a new account",
        action: "users.register",
        params: { email: "new-shopper@example.com", name: "New Shopper", password: "a-long-password" },
        answer: { result: { token: M.like(CONTRACT_SESSION.token) } },
      },
      async (a) => {
        shop.answer("users.register", a);
        const reply = await shop.request(
          "web.register",
          { email: "new-shopper@example.com", name: "New Shopper", password: "a-long-password" },
          { post: true },
        );
        expect(reply.location).toBe("/");
        expect(sessionCookie(reply.cookies)).toContain(`agora_session=${CONTRACT_SESSION.token}`);
      },
    ));

  it("users.register: 409 for an email that has an account (the form says so)", () =>
    expectAction<AuthResult>(
      pact,
      {
        state: "the contract customer is registered",
        description: "users.register answers 409 for a registered email",
        action: "users.register",
        params: { email: CONTRACT_SESSION.email, name: "Pact Shopper", password: "a-long-password" },
        answer: { error: { name: M.like("ConflictError"), code: 409, type: M.like("EMAIL_TAKEN") } },
      },
      async (a) => {
        shop.answer("users.register", a);
        const reply = await shop.request(
          "web.register",
          { email: CONTRACT_SESSION.email, name: "Pact Shopper", password: "a-long-password" },
          { post: true },
        );
        expect(reply.status).toBe(409);
        expect(reply.body).toContain("An account with this email exists already.");
      },
    ));

  it("users.lookup: the email of each order's customer, for the admin's order list", () =>
    expectAction<UserContact[]>(
      pact,
      {
        state: "the contract customer is registered",
        description: "users.lookup answers the admin the contract customer's email",
        action: "users.lookup",
        params: { ids: [CONTRACT_SESSION.userId] },
        meta: { user: ADMIN },
        answer: {
          result: M.eachLike({
            id: M.regex(/^[0-9a-f]{24}$/, CONTRACT_SESSION.userId),
            email: M.like(CONTRACT_SESSION.email),
            name: M.like(CONTRACT_SESSION.name),
          }),
        },
      },
      async (a) => {
        shop.signedIn = ADMIN;
        const at = "2026-01-01T00:00:00.000Z";
        const order = {
          id: CONTRACT_ORDER,
          userId: CONTRACT_SESSION.userId,
          status: "CONFIRMED",
          items: [{ productId: "132f2cd9f1713e80022b3801", name: "Mug", quantity: 1, unitPriceCents: 1400 }],
          totalCents: 1400,
          currency: "EUR",
          createdAt: at,
          updatedAt: at,
        };
        shop.answer("orders.listAll", { result: { rows: [order], total: 1, page: 1, pageSize: 50, totalPages: 1 } });
        shop.answer("users.lookup", a);
        const page = await shop.request("web.adminOrders", {});
        const [asked] = shop.calls("users.lookup");
        expect(asked.params).toEqual({ ids: [CONTRACT_SESSION.userId] });
        expect(asked.meta.user).toEqual(ADMIN);
        expect(page.body).toContain(CONTRACT_SESSION.email);
      },
    ));
});
