/**
 * The command line: `npm run loadgen -- --target URL --rate N --duration 5m
 * [--journey mix|browse|checkout|get] [--json out.json] [--closed N]`.
 */

export const JOURNEYS = ["mix", "browse", "checkout", "get"] as const;
export type JourneyName = (typeof JOURNEYS)[number];

export interface Options {
  target: string;
  /** Journeys started per second. */
  rate: number;
  durationMs: number;
  journey: JourneyName;
  json?: string;
  /**
   * Closed loop with this many connections, each sending its next journey only
   * when the last one answered (as wrk does): kept to show what open loop fixes.
   */
  closed?: number;
  /** Live progress line on stderr (off with --quiet). */
  progress: boolean;
}

const USAGE =
  "usage: npm run loadgen -- --target http://host:3000 --rate 50 --duration 5m " +
  "[--journey mix|browse|checkout|get] [--json out.json] [--closed connections] [--quiet]";

/** `300`, `10s`, `5m`, `1h`, `250ms`: a bare number is seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text} (e.g. 10s, 5m)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
  const ms = Number(m[1]) * unit;
  if (ms <= 0) throw new Error(`duration must be positive: ${text}`);
  return ms;
}

export function parseArgs(argv: string[]): Options {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    const [name, inline] = arg.slice(2).split("=", 2);
    if (name === "quiet" || name === "help") {
      flags.add(name);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value\n${USAGE}`);
    values.set(name, value);
  }
  if (flags.has("help")) throw new Error(USAGE);
  for (const name of values.keys()) {
    if (!["target", "rate", "duration", "journey", "json", "closed"].includes(name)) {
      throw new Error(`unknown option --${name}\n${USAGE}`);
    }
  }
  const target = values.get("target");
  if (!target || !/^https?:\/\/[^/]+/.test(target)) throw new Error(`--target http://host:port is required\n${USAGE}`);
  const rate = Number(values.get("rate") ?? "10");
  if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`--rate must be a positive number\n${USAGE}`);
  const journey = (values.get("journey") ?? "mix") as JourneyName;
  if (!JOURNEYS.includes(journey)) throw new Error(`--journey must be one of ${JOURNEYS.join(", ")}`);
  const closedText = values.get("closed");
  const closed = closedText === undefined ? undefined : Number(closedText);
  if (closed !== undefined && !(Number.isInteger(closed) && closed > 0)) {
    throw new Error("--closed takes a number of connections (≥ 1)");
  }
  return {
    target: target.replace(/\/+$/, ""),
    rate,
    durationMs: parseDuration(values.get("duration") ?? "10s"),
    journey,
    json: values.get("json"),
    closed,
    progress: !flags.has("quiet"),
  };
}
