import { declarations, variables, type Config, type VariableName } from "./variables";
import type { Mode, Variable } from "./variable";

export type { Config, ServiceVariables, VariableName } from "./variables";
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
export const config = {} as Config;

/** `config.<name>` reads the current parse. */
function expose(name: string): void {
  Object.defineProperty(config, name, {
    enumerable: true,
    get: () => currentConfig()[name as VariableName],
  });
}

for (const name of Object.keys(variables)) expose(name);

/**
 * Adds variables declared outside platform: each service's, listed in
 * services/variables.ts and handed over by moleculer.config.ts (every node)
 * and test/setup-env.ts before the config is read, so they are parsed at
 * start with the others. The same declaration again changes nothing; another
 * declaration of a declared name is an error (each is declared once).
 */
export function declareVariables(declared: Record<string, Variable<unknown>>): void {
  for (const [name, variable] of Object.entries(declared)) {
    if (declarations[name] === variable) continue;
    if (name in declarations) throw new Error(`environment variable ${name} is declared twice`);
    declarations[name] = variable;
    expose(name);
    current = undefined;
  }
}
