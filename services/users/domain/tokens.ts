import { randomBytes } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { LRUCache } from "lru-cache";
import { config } from "../../../platform/config";

/**
 * Access tokens: JWTs signed with HS256. They carry only the user id (`sub`);
 * the users service looks the user up on every resolve, so a removed user or
 * a changed role takes effect at once, not when the token expires.
 *
 *   JWT_SECRET      signing key, at least 32 characters. Required in
 *                   production; elsewhere a random one is made per process
 *                   (tokens then die with the process and do not work across
 *                   several users nodes).
 *   JWT_EXPIRES_IN  token lifetime, e.g. "2h", "15m", "1d" (2h)
 */
export interface TokenSettings {
  secret: Uint8Array;
  expiresIn: string;
}

const ISSUER = "agora";
const AUDIENCE = "agora";
const MIN_SECRET_LENGTH = 32;

export function tokenSettingsFromEnv(warn: (message: string) => void): TokenSettings {
  const expiresIn = config.JWT_EXPIRES_IN;
  if (!/^\d+\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)$/i.test(expiresIn)) {
    throw new Error(`JWT_EXPIRES_IN must be a duration such as "2h" or "15m", got "${expiresIn}"`);
  }
  const configured = config.JWT_SECRET;
  if (configured) {
    if (configured.length < MIN_SECRET_LENGTH) {
      throw new Error(`JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters long`);
    }
    return { secret: new TextEncoder().encode(configured), expiresIn };
  }
  if (config.NODE_ENV === "production") throw new Error("JWT_SECRET is required when NODE_ENV=production");
  warn(
    "JWT_SECRET is not set: using a random secret for this process. Tokens end with the process " +
      "and are not accepted by other users nodes. Set JWT_SECRET outside development.",
  );
  return { secret: randomBytes(32), expiresIn };
}

export function signToken(userId: string, settings: TokenSettings): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(settings.expiresIn)
    .sign(settings.secret);
}

/**
 * The user id in a valid token, or null: a forged, malformed or expired
 * token, or one signed with another algorithm ("none" included), is simply
 * not a caller.
 */
export async function verifyToken(token: string, settings: TokenSettings): Promise<string | null> {
  return (await verifiedClaims(token, settings))?.sub ?? null;
}

/** The subject and expiry (epoch ms) of a valid token, or null. */
async function verifiedClaims(token: string, settings: TokenSettings): Promise<{ sub: string; expMs: number } | null> {
  try {
    const { payload } = await jwtVerify(token, settings.secret, {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    if (typeof payload.sub !== "string") return null;
    return { sub: payload.sub, expMs: typeof payload.exp === "number" ? payload.exp * 1000 : 0 };
  } catch {
    return null;
  }
}

/**
 * verifyToken with a memory of tokens already verified: a signed-in
 * customer sends the same token with every request, and jose's HMAC check
 * (through WebCrypto) was about 370 µs of CPU per request under load, a tenth
 * of a checkout (bench/README.md). A remembered token is answered until its
 * `exp`, never after; only valid tokens are remembered, at most `max` of them
 * (least recently used go first). What a token grants is still looked up on
 * every request (users.resolveToken reads the account).
 */
export class VerifiedTokens {
  private readonly known: LRUCache<string, { sub: string; expMs: number }>;

  constructor(
    private readonly settings: TokenSettings,
    max = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.known = new LRUCache({ max });
  }

  async verify(token: string): Promise<string | null> {
    const known = this.known.get(token);
    if (known && known.expMs > this.now()) return known.sub;
    if (known) this.known.delete(token);
    const claims = await verifiedClaims(token, this.settings);
    if (!claims) return null;
    if (claims.expMs > this.now()) this.known.set(token, claims);
    return claims.sub;
  }

  get size(): number {
    return this.known.size;
  }
}
