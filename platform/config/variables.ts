import { brokerVariables } from "./broker.vars";
import { gatewayVariables } from "./gateway.vars";
import { observabilityVariables } from "./observability.vars";
import { storeVariables } from "./store.vars";
import type { Variable } from "./variable";

/** The variables of what every service runs on, grouped by room. */
const platformVariables = {
  ...brokerVariables,
  ...gatewayVariables,
  ...storeVariables,
  ...observabilityVariables,
};

/**
 * The variables of single services, declared next to each service
 * (services/<name>/<name>.vars.ts) and added at start by declareVariables()
 * (index.ts). Their types come in by declaration merging (services/variables.ts),
 * so platform imports nothing from services.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ServiceVariables {}

type Declared = typeof platformVariables & ServiceVariables;

const declared = { ...platformVariables };

/** The declarations by name, added to by declareVariables() (index.ts). */
export const declarations: Record<string, Variable<unknown>> = declared;

/** Every environment variable Agora reads, declared once: the platform's, then the services' as added. */
export const variables = declared as Declared;

export type VariableName = keyof Declared;

export type Config = {
  readonly [K in VariableName]: Declared[K] extends Variable<infer T> ? T : never;
};
