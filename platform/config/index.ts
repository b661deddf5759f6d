import { variables, type Config, type VariableName } from "./variables";
import type { Mode, Variable } from "./variable";

export type { Config, VariableName } from "./variables";
export { variables } from "./variables";

export type Env = Record<string, string | undefined>;

/** Names every malformed variable at once, with what each accepts. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** Parses and validates every declared variable of `env`; throws a ConfigError if any is malformed. */
export function loadConfig(env: Env = process.env): Config {
  const mode: Mode = { production: env.NODE_ENV === "production", test: env.NODE_ENV === "test" };
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, variable] of Object.entries(variables) as [VariableName, Variable<unknown>][]) {
    const raw = env[name];
    try {
      values[name] = variable.parse(raw, mode);
    } catch (err) {
      problems.push(`${name}=${JSON.stringify(raw)}: ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(values) as Config;
}

let current: Config | undefined;
let adjust: (env: Env) => Env = (env) => env;

/**
 * For entry points that are not ordinary nodes (scripts/repl.ts): the config
 * is parsed from `adjust(process.env)` from now on.
 */
export function adjustEnv(fn: (env: Env) => Env): void {
  adjust = fn;
  current = undefined;
}

/**
 * Parsed on first use and kept for the life of the process: production
 * never changes its environment after start. Tests that change process.env
 * call resetConfig() (test/setup-env.ts does so on every write).
 */
export function resetConfig(): void {
  current = undefined;
}

function currentConfig(): Config {
  current ??= loadConfig(adjust(process.env));
  return current;
}

/** The configuration of this process, typed and read-only: `config.REQUEST_TIMEOUT`. */
export const config: Config = Object.freeze(
  Object.defineProperties(
    {},
    Object.fromEntries(
      Object.keys(variables).map((name) => [
        name,
        { enumerable: true, get: () => currentConfig()[name as VariableName] },
      ]),
    ),
  ),
) as Config;
