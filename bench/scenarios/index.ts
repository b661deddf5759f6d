import { c1, c2 } from "./ceilings";
import { s4Embedded, s4Nats } from "./checkout";
import type { Scenario } from "./context";
import { s2, s2Cache, s2Tcp, s3 } from "./distributed-read";
import { s1, s1List } from "./embedded-read";
import { s5One, s5Two } from "./login";
import { s1NoMetrics } from "./metrics-cost";
import { s7 } from "./mix";
import { s2Stale } from "./staleness";
import { s6 } from "./startup";
import { w1 } from "./storefront";

export { checkoutSteps } from "./checkout";
export { skipped } from "./common";
export type { BenchContext, BenchOptions, Scenario } from "./context";

/** Every scenario, in the order a full run takes them (and the results list them). */
export const SCENARIOS: Scenario[] = [
  c1,
  c2,
  s1,
  s1List,
  s1NoMetrics,
  s2,
  s2Cache,
  s2Stale,
  s2Tcp,
  s3,
  s4Embedded,
  s4Nats,
  s5One,
  s5Two,
  s6,
  w1,
  s7,
];
