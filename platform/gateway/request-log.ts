import type { Logger } from "moleculer";

/**
 * moleculer-web formats its per-request lines before it hands them to the
 * logger (`=> GET /path`, `<= 200 GET /path [+1.234 ms]` with kleur colours
 * and a timer, `Alias: GET /path => action` through lodash padding), and the
 * logger drops them afterwards when the level is off. At the production level
 * that was work for nothing on every request (bench/README.md, A/B log), so
 * the gateway asks the logger up front whether a line would be written.
 */

/** Moleculer's level names, most severe first. */
const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"];

interface Appender {
  getLogLevel?(mod: string): string | null;
}

/** Whether `logger` writes lines of `level` for module `mod` (a logger it cannot ask is assumed to). */
export function logsAt(logger: Logger, mod: string, level: string | null | undefined): boolean {
  if (!level || !LEVELS.includes(level)) return false;
  const appenders = (logger as { appenders?: Appender[] }).appenders;
  if (!Array.isArray(appenders)) return true;
  const wanted = LEVELS.indexOf(level);
  return appenders.some((appender) => {
    if (typeof appender.getLogLevel !== "function") return true;
    const own = appender.getLogLevel(mod);
    return own != null && LEVELS.indexOf(own) >= wanted;
  });
}

/** An alias's description is fixed once built; moleculer-web rebuilds it for a debug line on every request. */
export function memoizeDescription<T extends { toString(): string }>(alias: T): T {
  const text = alias.toString();
  alias.toString = () => text;
  return alias;
}
