import { eventually, type Proc } from "./processes";

// eslint-disable-next-line no-control-regex
export const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

/**
 * Types one command into a REPL process (scripts/repl.ts) and returns what it
 * printed from then on, once the prompt has come back after the command's
 * output (and `until`, when given, matches it).
 *
 * The prompt is looked for anywhere after the command, not only at the end of
 * the output: the REPL node's broker logs warnings on the same stdout, and one
 * printed just after the prompt (a node dropped for missed heartbeats) would
 * otherwise hide a prompt that did come back (issue #26: a command waited its
 * whole 60 s for a prompt printed seconds before).
 */
export async function replCommand(repl: Proc, line: string, until?: RegExp, timeoutMs = 60_000): Promise<string> {
  const start = repl.output().length;
  repl.input(`${line}\n`);
  const printed = () => plain(repl.output().slice(start));
  await eventually(() => /mol \$ /.test(printed()) && (!until || until.test(printed())), timeoutMs, 50);
  return printed();
}
