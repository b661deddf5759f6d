import type { ScenarioResult } from "../lib/report";
import type { Seed } from "../lib/shop";

export interface BenchOptions {
  durationSec: number;
  warmupSec: number;
  /** Connections for the read scenarios (C1, C2, S1..S3). */
  connections: number;
  /** Users (one connection each) for the checkout and mix scenarios. */
  users: number;
  /** Write CPU profiles of the gateway and catalog processes (S1, S2) and summarize them. */
  profile: boolean;
}

export interface BenchContext {
  opts: BenchOptions;
  workDir: string;
  logDir: string;
  resultsDir: string;
  seed: Seed;
  natsUrl: string;
  results: Map<string, ScenarioResult>;
}

export interface Scenario {
  id: string;
  title: string;
  /** Scenarios whose numbers this one's ratio needs (run first). */
  needs?: string[];
  /** Programs it needs on the path; without them it is reported as skipped. */
  requires?: ("nats-server" | "taskset")[];
  run(ctx: BenchContext): Promise<ScenarioResult | ScenarioResult[]>;
}
