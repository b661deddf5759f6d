import type { ActionDef, ServiceContract } from "./define";

/**
 * What the contracts declare, for platform code that acts on declarations
 * (the gateway's read cache, rate limits, OpenAPI) without naming a service:
 * the contracts are passed in (services/api), and these read them.
 */

/** Every action of these contracts, by full name (`<service>.<action>`). */
export function contractActions(contracts: readonly ServiceContract[]): Map<string, ActionDef> {
  const out = new Map<string, ActionDef>();
  for (const c of contracts) {
    for (const [name, def] of Object.entries(c.actions)) out.set(`${c.name}.${name}`, def);
  }
  return out;
}

/** The full names of the actions whose declaration passes `test`. */
export function declaredActions(contracts: readonly ServiceContract[], test: (def: ActionDef) => boolean): string[] {
  return [...contractActions(contracts)].filter(([, def]) => test(def)).map(([name]) => name);
}
