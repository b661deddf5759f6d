import type { ResultSchema } from "../platform/contracts/define";

/** One page of a list result. */
export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

/** The result schema of one page of `row`s; its type is a `Page` of the row's type. */
export function pageOf<const R extends ResultSchema>(row: R) {
  return {
    type: "object",
    strict: true,
    props: {
      rows: { type: "array", items: row },
      total: { type: "number", integer: true, min: 0 },
      page: { type: "number", integer: true, min: 1 },
      pageSize: { type: "number", integer: true, min: 1 },
      totalPages: { type: "number", integer: true, min: 0 },
    },
  } as const;
}

/** ISO 4217 currency code, upper case (EUR, USD, ...). */
export type Currency = string;
export const currencyRule = { type: "string", length: 3 } as const;

/** A point in time as results carry it: ISO 8601 in UTC (`Date.toISOString()`). */
export const timestampRule = { type: "string", pattern: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/ } as const;

/** A whole amount in a currency's minor unit (cents), or a count. */
export const countRule = { type: "number", integer: true, min: 0 } as const;
