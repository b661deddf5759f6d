import type { ReplOptions } from "moleculer";

export type ReplCommand = NonNullable<ReplOptions["customCommands"]>[number];

/** Custom REPL commands (moleculer-runner --repl). The shop adds its own here. */
export const replCommands: ReplCommand[] = [];
