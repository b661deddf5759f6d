import fs from "node:fs";
import { parseArgs } from "./args";
import { table } from "./report";
import { run } from "./run";

/**
 * `npm run loadgen -- --target http://host:3000 --rate 50 --duration 5m
 * [--journey mix|browse|checkout|get] [--json out.json] [--closed N] [--quiet]`
 * (docs/operations-lab.md). The progress line goes to stderr once a second,
 * the summary table to stdout.
 */
async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const tty = process.stderr.isTTY;
  const report = await run(opts, (line) => {
    if (opts.progress) process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  });
  if (opts.progress && tty) process.stderr.write("\n");
  console.log(table(report));
  if (opts.json) fs.writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((err: Error) => {
  console.error(`loadgen: ${err.message}`);
  process.exit(1);
});
