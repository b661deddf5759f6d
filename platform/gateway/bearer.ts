import { Errors } from "moleculer";

/**
 * The token of an `Authorization: Bearer <token>` header. No header means an
 * anonymous caller (null); any other scheme, or a token that cannot be a JWT,
 * is a 401, never silently anonymous.
 */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined || header === "") return null;
  const match = /^Bearer +([A-Za-z0-9_.~+/-]+=*)$/i.exec(header.trim());
  if (!match || match[1].length > 4096) throw invalidToken();
  return match[1];
}

export function invalidToken(): Errors.MoleculerClientError {
  return new Errors.MoleculerClientError("Invalid or expired token", 401, "INVALID_TOKEN");
}
