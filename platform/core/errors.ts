import { Errors } from "moleculer";

/** Client errors with the HTTP status the gateway answers with. */

export class NotFoundError extends Errors.MoleculerClientError {
  constructor(what: string, id: string) {
    super(`${what} not found`, 404, "NOT_FOUND", { id });
  }
}

export class ConflictError extends Errors.MoleculerClientError {
  constructor(message: string, data?: Record<string, unknown>) {
    super(message, 409, "CONFLICT", data);
  }
}

export class UnprocessableError extends Errors.MoleculerClientError {
  constructor(message: string, type = "UNPROCESSABLE", data?: unknown) {
    super(message, 422, type, data);
  }
}

/** True for a unique-index violation from NeDB or MongoDB. */
export function isDuplicateKeyError(err: unknown): boolean {
  const e = err as { errorType?: string; code?: number };
  return e?.errorType === "uniqueViolated" || e?.code === 11000;
}
