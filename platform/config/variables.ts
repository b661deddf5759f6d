import { brokerVariables } from "./broker.vars";
import { gatewayVariables } from "./gateway.vars";
import { observabilityVariables } from "./observability.vars";
import { serviceVariables } from "./services.vars";
import { storeVariables } from "./store.vars";
import type { Variable } from "./variable";

/** Every environment variable Agora reads, declared once, grouped by room. */
export const variables = {
  ...brokerVariables,
  ...gatewayVariables,
  ...storeVariables,
  ...observabilityVariables,
  ...serviceVariables,
};

export type VariableName = keyof typeof variables;

export type Config = {
  readonly [K in VariableName]: (typeof variables)[K] extends Variable<infer T> ? T : never;
};
