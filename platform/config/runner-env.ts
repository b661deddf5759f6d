/**
 * moleculer-runner overwrites broker options from environment variables of
 * the same name (TRANSPORTER, LOGLEVEL, ...) with their raw strings, after it
 * loads moleculer.config. Our config already reads those variables and parses
 * them into richer options (NATS credentials and reconnect settings,
 * per-module log levels), which the runner would throw away. This keeps the
 * parsed values: the runner's writes to these keys are ignored.
 */
export function keepParsedOptions<T extends object>(config: T, keys: (keyof T)[]): T {
  for (const key of keys) {
    const descriptor = Object.getOwnPropertyDescriptor(config, key);
    const read = descriptor?.get ?? (() => descriptor?.value);
    Object.defineProperty(config, key, {
      enumerable: true,
      configurable: true,
      get: read,
      set: () => undefined,
    });
  }
  return config;
}
