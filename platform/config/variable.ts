/**
 * How one environment variable is declared: its type, its default and a
 * one-line doc. `parse` turns the raw string into the typed value or throws a
 * message saying what the variable accepts; the loader adds the name.
 */
export interface Mode {
  /** NODE_ENV=production */
  production: boolean;
  /** NODE_ENV=test (jest sets it) */
  test: boolean;
}

export interface Variable<T> {
  doc: string;
  /** The default as the configuration table (docs/configuration.md) shows it. */
  defaultDoc: string;
  parse(raw: string | undefined, mode: Mode): T;
}

type Default<T> = T | ((mode: Mode) => T);

interface Options<T> {
  doc: string;
  default?: Default<T>;
  /** How the configuration table shows the default when it depends on NODE_ENV or the host. */
  defaultDoc?: string;
}

const BOOLEANS: Partial<Record<string, boolean>> = {
  true: true,
  "1": true,
  yes: true,
  on: true,
  false: false,
  "0": false,
  no: false,
  off: false,
};

function resolve<T>(value: Default<T>, mode: Mode): T {
  return typeof value === "function" ? (value as (mode: Mode) => T)(mode) : value;
}

function shown(value: unknown): string {
  if (value === undefined || value === "") return "none";
  if (Array.isArray(value)) return value.length ? `\`${value.join(",")}\`` : "none";
  return `\`${String(value)}\``;
}

function variable<T>(options: Options<T>, convert: (raw: string) => T): Variable<T> {
  const fallback = options.default;
  return {
    doc: options.doc,
    defaultDoc: options.defaultDoc ?? (typeof fallback === "function" ? "none" : shown(fallback)),
    // An empty value counts as unset, as a blank line in an env file means "not configured".
    parse: (raw, mode) => (raw === undefined || raw === "" ? resolve(fallback as Default<T>, mode) : convert(raw)),
  };
}

interface StringOptions extends Options<string> {
  /** When set, a value must match it; `accepts` says what it accepts. */
  pattern?: RegExp;
  accepts?: string;
}

/** Free text. Without a default, unset means undefined. */
export function string(options: StringOptions & { default: Default<string> }): Variable<string>;
export function string(options: StringOptions): Variable<string | undefined>;
export function string(options: StringOptions): Variable<string | undefined> {
  return variable<string | undefined>(options, (raw) => {
    if (options.pattern && !options.pattern.test(raw)) throw new Error(`accepts ${options.accepts ?? options.pattern}`);
    return raw;
  });
}

/** A whole number, optionally bounded. */
export function int(
  options: Options<number> & { default: Default<number>; min?: number; max?: number },
): Variable<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  const range = `a whole number from ${min} to ${max}`;
  return variable(options, (raw) => {
    const value = Number(raw.trim());
    if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) throw new Error(`accepts ${range}`);
    return value;
  });
}

/** A decimal number within bounds. */
export function number(options: Options<number> & { default: number; min: number; max: number }): Variable<number> {
  return variable(options, (raw) => {
    const value = Number(raw.trim());
    if (raw.trim() === "" || !Number.isFinite(value) || value < options.min || value > options.max) {
      throw new Error(`accepts a number from ${options.min} to ${options.max}`);
    }
    return value;
  });
}

/** true/false/1/0/yes/no/on/off, any case; anything else is an error, not false. */
export function bool(options: Options<boolean> & { default: Default<boolean> }): Variable<boolean> {
  return variable(options, (raw) => {
    const value = BOOLEANS[raw.trim().toLowerCase()];
    if (value === undefined) throw new Error("accepts true/false/1/0/yes/no/on/off");
    return value;
  });
}

/** One of a few words, any case; `aliases` maps older spellings onto them. */
export function oneOf<const V extends string>(
  values: readonly V[],
  options: Options<V> & { default: Default<V>; aliases?: Record<string, V> },
): Variable<V> {
  return variable(options, (raw) => {
    const word = raw.trim().toLowerCase();
    const value = (values as readonly string[]).includes(word) ? (word as V) : options.aliases?.[word];
    if (value === undefined) throw new Error(`accepts one of ${values.join(", ")}`);
    return value;
  });
}

/** A comma-separated list; blanks are dropped. */
export function list(options: Options<string[]>): Variable<string[]> {
  return variable({ default: [], ...options }, (raw) =>
    raw
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
}
