import { SignJWT } from "jose";
import { request, get } from "../helpers/http";
import { startNode, type TestNode } from "../helpers/node";
import type { AuthResult, User } from "../../contracts";

/** Auth over real HTTP: register, login, /me, and what a bad token gets. */

let node: TestNode;
const post = <T = unknown>(path: string, body: unknown, token?: string) =>
  request<T>(node.url, "POST", path, { body, token });

const unique = (tag: string) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

beforeAll(async () => {
  node = await startNode(["api", "users", "catalog"]);
});
afterAll(async () => {
  await node?.stop();
});

function expectNoSecrets(text: string, password: string) {
  expect(text).not.toContain(password);
  expect(text).not.toMatch(/passwordHash|argon2/i);
}

describe("register", () => {
  it("answers 201 with the user and a token, never the password", async () => {
    const email = unique("Reg");
    const res = await post<AuthResult>("/api/v1/auth/register", {
      email: `  ${email.toUpperCase()} `,
      password: "correct horse battery",
      name: " Ada ",
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      email: email.toLowerCase(),
      name: "Ada",
      role: "customer",
      createdAt: expect.any(String),
    });
    expect(res.body.token.split(".")).toHaveLength(3);
    expectNoSecrets(res.text, "correct horse battery");
  });

  it("answers 409 for an email already registered, in any case", async () => {
    const email = unique("dup");
    expect((await post("/api/v1/auth/register", { email, password: "password-1", name: "A" })).status).toBe(201);
    const again = await post("/api/v1/auth/register", {
      email: email.toUpperCase(),
      password: "password-2",
      name: "B",
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 409, type: "CONFLICT" });
  });

  it("answers the same request sent again as the first time (a retry after its node died), any other with 409", async () => {
    const email = unique("again");
    const send = (requestId: string, password: string) =>
      request<AuthResult>(node.url, "POST", "/api/v1/auth/register", {
        body: { email, password, name: "A" },
        headers: { "x-request-id": requestId },
      });
    const first = await send("register-request-0001", "password-1");
    expect(first.status).toBe(201);
    const again = await send("register-request-0001", "password-1");
    expect(again.status).toBe(201);
    expect(again.body.user).toEqual(first.body.user);
    // Another request, or the same request id with another password: the email is taken.
    expect((await send("register-request-0002", "password-1")).status).toBe(409);
    expect((await send("register-request-0001", "password-2")).status).toBe(409);
  });

  it("lets exactly one of many concurrent registrations of one email win", async () => {
    const email = unique("race");
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post("/api/v1/auth/register", { email, password: `password-${i}`, name: `N${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    // The winner's password is the one that works.
    const winner = results.findIndex((r) => r.status === 201);
    expect((await post("/api/v1/auth/login", { email, password: `password-${winner}` })).status).toBe(200);
  });
});

describe("login", () => {
  const email = unique("login");
  const password = "s3cret-enough";
  beforeAll(async () => {
    expect((await post("/api/v1/auth/register", { email, password, name: "Lin" })).status).toBe(201);
  });

  it("answers 200 with the user and a token", async () => {
    const res = await post<AuthResult>("/api/v1/auth/login", { email: email.toUpperCase(), password });
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(email);
    expect(typeof res.body.token).toBe("string");
    expectNoSecrets(res.text, password);
  });

  it("answers 401 with the same body for a wrong password and an unknown email", async () => {
    const wrongPassword = await post("/api/v1/auth/login", { email, password: "not-the-password" });
    const unknownEmail = await post("/api/v1/auth/login", { email: unique("nobody"), password: "not-the-password" });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.text).toBe(unknownEmail.text);
    expect(wrongPassword.body).toMatchObject({ code: 401, type: "INVALID_CREDENTIALS" });
  });
});

describe("tokens", () => {
  let auth: AuthResult;
  beforeAll(async () => {
    auth = (
      await post<AuthResult>("/api/v1/auth/register", { email: unique("me"), password: "password-me", name: "Me" })
    ).body;
  });

  it("GET /me answers the caller for a valid token", async () => {
    const res = await get<User>(node.url, "/api/v1/me", { token: auth.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(auth.user);
  });

  it("GET /me without a token is 401", async () => {
    const res = await get(node.url, "/api/v1/me");
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 401 });
  });

  const secret = new TextEncoder().encode(process.env.JWT_SECRET);
  const badTokens: [string, () => Promise<string>][] = [
    ["garbage", async () => "not-a-jwt"],
    ["a tampered signature", async () => auth.token.slice(0, -4) + (auth.token.endsWith("AAAA") ? "BBBB" : "AAAA")],
    [
      "a token signed with another secret",
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject(auth.user.id)
          .setIssuer("agora")
          .setAudience("agora")
          .setExpirationTime("1h")
          .sign(new TextEncoder().encode("another-secret-another-secret-another")),
    ],
    [
      "an expired token",
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject(auth.user.id)
          .setIssuer("agora")
          .setAudience("agora")
          .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(secret),
    ],
    [
      'an unsigned token (alg "none")',
      async () => {
        const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
        const exp = Math.floor(Date.now() / 1000) + 3600;
        return `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: auth.user.id, iss: "agora", aud: "agora", exp })}.`;
      },
    ],
    [
      "a valid signature for a user that does not exist",
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject("0123456789abcdef01234567")
          .setIssuer("agora")
          .setAudience("agora")
          .setExpirationTime("1h")
          .sign(secret),
    ],
  ];

  it.each(badTokens)("%s is 401 on a customer route and on a public route", async (_name, make) => {
    const token = await make();
    for (const path of ["/api/v1/me", "/api/v1/products"]) {
      const res = await get(node.url, path, { token });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 401, type: "INVALID_TOKEN" });
    }
  });

  it("a scheme other than Bearer is 401", async () => {
    const res = await get(node.url, "/api/v1/me", { headers: { authorization: `Basic ${auth.token}` } });
    expect(res.status).toBe(401);
  });

  it("a token signed correctly but by a non-HS256 algorithm name is refused", async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS512" })
      .setSubject(auth.user.id)
      .setIssuer("agora")
      .setAudience("agora")
      .setExpirationTime("1h")
      .sign(new Uint8Array(Buffer.from(process.env.JWT_SECRET!)));
    expect((await get(node.url, "/api/v1/me", { token })).status).toBe(401);
  });
});
