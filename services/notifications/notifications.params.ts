import { ID_PATTERN } from "../../platform/core/ids";

/** fastest-validator schemas for notifications. `record` accepts either order event payload. */
export const listParams = { $$strict: "remove" } as const;

const id = { type: "string", pattern: ID_PATTERN } as const;

export const recordParams = {
  $$strict: true,
  eventId: { type: "string", min: 1, max: 200 },
  orderId: id,
  userId: id,
  totalCents: { type: "number", integer: true, min: 0, optional: true },
  currency: { type: "string", length: 3, optional: true },
  status: { type: "enum", values: ["FAILED", "REJECTED"], optional: true },
  reason: { type: "string", max: 1000, optional: true },
  occurredAt: { type: "string", max: 40, optional: true },
} as const;
