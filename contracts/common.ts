/** One page of a list result. */
export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

/** ISO 4217 currency code, upper case (EUR, USD, ...). */
export type Currency = string;
