import { adminFromEnv } from "../../services/users/domain/admin-account";
import {
  credentialsMatch,
  hashPassword,
  verifyAgainstDummy,
  verifyPassword,
} from "../../services/users/domain/password";
import { signToken, tokenSettingsFromEnv, VerifiedTokens, verifyToken } from "../../services/users/domain/tokens";
import { newUserDoc, normalizeEmail, publicUser, userIdForEmail } from "../../services/users/domain/account";

describe("user rules", () => {
  it("normalizes emails to one spelling", () => {
    expect(normalizeEmail("  Ada.Lovelace@Example.COM ")).toBe("ada.lovelace@example.com");
  });

  it("derives a 24-hex id from the normalized email, the same for every spelling", () => {
    const id = userIdForEmail(normalizeEmail("A@B.co"));
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(userIdForEmail(normalizeEmail(" a@b.CO"))).toBe(id);
    expect(userIdForEmail("other@b.co")).not.toBe(id);
  });

  it("builds a stored user and a public view without password material", () => {
    const doc = newUserDoc(
      { email: " X@Y.io ", name: " Xavier ", role: "customer", passwordHash: "$argon2id$..." },
      new Date("2026-01-02T03:04:05Z"),
    );
    expect(doc).toEqual({
      _id: userIdForEmail("x@y.io"),
      email: "x@y.io",
      name: "Xavier",
      role: "customer",
      passwordHash: "$argon2id$...",
      createdAt: "2026-01-02T03:04:05.000Z",
      registeredBy: null,
    });
    const user = publicUser({ ...doc, extra: "stored later" } as typeof doc);
    expect(user).toEqual({ id: doc._id, email: "x@y.io", name: "Xavier", role: "customer", createdAt: doc.createdAt });
    expect(JSON.stringify(user)).not.toMatch(/password|argon/i);
  });
});

describe("passwords", () => {
  it("hashes with argon2id and verifies only the right password", async () => {
    const hash = await hashPassword("correct horse");
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain("correct horse");
    await expect(verifyPassword(hash, "correct horse")).resolves.toBe(true);
    await expect(verifyPassword(hash, "wrong horse")).resolves.toBe(false);
    await expect(verifyPassword("not-a-hash", "x")).resolves.toBe(false);
    await expect(verifyAgainstDummy("anything")).resolves.toBe(false);
  });

  it("matches credentials only for the account's own email and password", async () => {
    const account = { email: "ada@example.com", passwordHash: await hashPassword("correct horse") };
    await expect(credentialsMatch(account, "ada@example.com", "correct horse")).resolves.toBe(true);
    await expect(credentialsMatch(account, "ada@example.com", "wrong horse")).resolves.toBe(false);
    // An id collision under another address is not this account.
    await expect(credentialsMatch(account, "eve@example.com", "correct horse")).resolves.toBe(false);
    await expect(credentialsMatch(null, "ada@example.com", "correct horse")).resolves.toBe(false);
  });
});

describe("tokens", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("signs and verifies the user id", async () => {
    const settings = { secret: new TextEncoder().encode("k".repeat(32)), expiresIn: "2h" };
    const token = await signToken("0123456789abcdef01234567", settings);
    await expect(verifyToken(token, settings)).resolves.toBe("0123456789abcdef01234567");
    await expect(verifyToken(token, { ...settings, secret: new TextEncoder().encode("z".repeat(32)) })).resolves.toBe(
      null,
    );
    await expect(verifyToken("a.b.c", settings)).resolves.toBe(null);
  });

  it("expires", async () => {
    const settings = { secret: new TextEncoder().encode("k".repeat(32)), expiresIn: "1s" };
    const token = await signToken("0123456789abcdef01234567", settings);
    const payload = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
    expect(payload.exp - payload.iat).toBe(1);
  });

  it("remembers verified tokens until their exp and never after, only valid ones, at most max", async () => {
    const settings = { secret: new TextEncoder().encode("k".repeat(32)), expiresIn: "2h" };
    const token = await signToken("0123456789abcdef01234567", settings);
    const exp = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).exp as number;
    let now = Date.now();
    const verified = new VerifiedTokens(settings, 2, () => now);
    await expect(verified.verify(token)).resolves.toBe("0123456789abcdef01234567");
    expect(verified.size).toBe(1);
    await expect(verified.verify(token)).resolves.toBe("0123456789abcdef01234567");
    // A forged or malformed token is checked every time, never remembered.
    const forged = await signToken("0123456789abcdef01234567", {
      ...settings,
      secret: new TextEncoder().encode("z".repeat(32)),
    });
    await expect(verified.verify(forged)).resolves.toBe(null);
    await expect(verified.verify("a.b.c")).resolves.toBe(null);
    expect(verified.size).toBe(1);
    // At its exp the remembered answer is gone: the token is checked again (and jose, on the real clock, says expired).
    jest.useFakeTimers({ now: exp * 1000, doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
    try {
      now = exp * 1000;
      await expect(verified.verify(token)).resolves.toBe(null);
      expect(verified.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
    // Bounded: the least recently used goes first.
    now = Date.now();
    const others = await Promise.all(["a", "b", "c"].map((c) => signToken(c.repeat(24), settings)));
    for (const t of others) await verified.verify(t);
    expect(verified.size).toBe(2);
  });

  it("takes the secret from JWT_SECRET and refuses a short one", () => {
    process.env.JWT_SECRET = "s".repeat(40);
    process.env.JWT_EXPIRES_IN = "15m";
    const warn = jest.fn();
    const settings = tokenSettingsFromEnv(warn);
    expect(Buffer.from(settings.secret).toString()).toBe("s".repeat(40));
    expect(settings.expiresIn).toBe("15m");
    expect(warn).not.toHaveBeenCalled();
    process.env.JWT_SECRET = "short";
    expect(() => tokenSettingsFromEnv(warn)).toThrow(/at least 32/);
  });

  it("makes a random secret with a warning that does not contain it, except in production", () => {
    delete process.env.JWT_SECRET;
    const warn = jest.fn();
    const settings = tokenSettingsFromEnv(warn);
    expect(settings.secret.length).toBe(32);
    expect(settings.expiresIn).toBe("2h");
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0][0]);
    expect(message).toContain("JWT_SECRET");
    expect(message).not.toContain(Buffer.from(settings.secret).toString("hex"));
    expect(message).not.toContain(Buffer.from(settings.secret).toString("base64"));
    process.env.NODE_ENV = "production";
    expect(() => tokenSettingsFromEnv(warn)).toThrow(/required/);
  });

  it("refuses an unreadable JWT_EXPIRES_IN", () => {
    process.env.JWT_EXPIRES_IN = "soon";
    expect(() => tokenSettingsFromEnv(() => undefined)).toThrow(/JWT_EXPIRES_IN/);
  });
});

describe("admin from the environment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("is null when not configured, normalized when configured", () => {
    delete process.env.ADMIN_EMAIL;
    delete process.env.ADMIN_PASSWORD;
    expect(adminFromEnv()).toBeNull();
    process.env.ADMIN_EMAIL = " Boss@Shop.io";
    process.env.ADMIN_PASSWORD = "long-enough-password";
    expect(adminFromEnv()).toEqual({ email: "boss@shop.io", password: "long-enough-password" });
  });

  it("refuses half or invalid configurations", () => {
    process.env.ADMIN_EMAIL = "boss@shop.io";
    delete process.env.ADMIN_PASSWORD;
    expect(() => adminFromEnv()).toThrow(/together/);
    process.env.ADMIN_PASSWORD = "short";
    expect(() => adminFromEnv()).toThrow(/ADMIN_PASSWORD/);
    process.env.ADMIN_EMAIL = "not an email";
    process.env.ADMIN_PASSWORD = "long-enough-password";
    expect(() => adminFromEnv()).toThrow(/ADMIN_EMAIL/);
  });
});
