import { Errors } from "moleculer";
import { UNAVAILABLE_TYPE } from "./unavailable";

/**
 * The JSON body of an error response: `{ name, message, code, type, data }`.
 * Client errors (4xx) keep their message and data, minus any echo of the
 * input value (it may be a password or a card number). Server errors (5xx)
 * hide internals behind a generic message; the log has the details. The one
 * exception is a 503 of type SERVICE_UNAVAILABLE: Agora's own code writes its
 * message and data to tell the client what is unavailable and what did or did
 * not happen (e.g. "nothing was charged", the FAILED order), so they are shown.
 */
export interface PublicError {
  name: string;
  message: string;
  code: number;
  type?: string;
  data?: unknown;
}

const SERVER_MESSAGES: Record<number, string> = {
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function publicError(err: {
  name?: string;
  message?: string;
  code?: unknown;
  type?: string;
  data?: unknown;
}): PublicError {
  const code = typeof err.code === "number" && err.code >= 400 && err.code < 600 ? err.code : 500;
  if (code === 503 && err.type === UNAVAILABLE_TYPE) {
    return {
      name: "ServiceUnavailableError",
      message: err.message ?? "",
      code,
      type: err.type,
      data: err.data,
    };
  }
  if (code >= 500) {
    return {
      name: code === 500 ? "InternalServerError" : (err.name ?? "ServerError"),
      message: SERVER_MESSAGES[code] ?? "Internal Server Error",
      code,
      type: code === 500 ? "INTERNAL_SERVER_ERROR" : err.type,
    };
  }
  return { name: err.name ?? "Error", message: err.message ?? "", code, type: err.type, data: withoutEchoes(err.data) };
}

function withoutEchoes(data: unknown): unknown {
  if (!Array.isArray(data)) return data;
  return data.map((item) => {
    if (item === null || typeof item !== "object") return item;
    const { actual: _actual, ...rest } = item as Record<string, unknown>;
    return rest;
  });
}

/**
 * Errors of the HTTP layer (body-parser's http-errors) carry their status in
 * `status`, and sometimes a string `code` of their own (zlib's "Z_DATA_ERROR"
 * for a body that does not decompress), which would make them a 500.
 */
export function fromHttpLayer<E extends { code?: unknown; status?: unknown; message?: string; type?: unknown }>(
  err: E,
): E | Errors.MoleculerClientError {
  if (typeof err?.code === "number" || typeof err?.status !== "number") return err;
  if (err.status < 400 || err.status >= 500) return err;
  const type = typeof err.type === "string" ? err.type.replace(/\W+/g, "_").toUpperCase() : "BAD_REQUEST";
  const message = typeof err.code === "string" ? "The request body could not be decoded" : (err.message ?? "");
  return new Errors.MoleculerClientError(message, err.status, type);
}
