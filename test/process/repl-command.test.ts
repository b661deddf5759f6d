import { startProcess, stopAll } from "../helpers/processes";
import { replCommand } from "../helpers/repl";

/**
 * The REPL suites' command helper (test/helpers/repl.ts) against a stand-in
 * REPL that does what scripts/repl.ts's broker does when a node is dropped: a
 * warning logged on stdout right after the prompt came back (issue #26, where
 * the walkthrough's `nodes --all` waited 60 s for a prompt already printed).
 */
const STAND_IN = `
  const rl = require("node:readline").createInterface({ input: process.stdin });
  process.stdout.write("mol $ ");
  rl.on("line", (line) => {
    // One write: the warning is there by the time the prompt is looked for.
    process.stdout.write("answer to " + line + "\\nmol $ [WARN] Node 'walk-catalog' disconnected unexpectedly.\\n");
  });
`;

afterAll(stopAll);

it("sees the prompt come back even when a log line follows it", async () => {
  const repl = startProcess(process.execPath, ["-e", STAND_IN], {}, undefined, { stdin: true });
  await repl.waitFor(/mol \$ /);
  const first = await replCommand(repl, "nodes --all", undefined, 10_000);
  expect(first).toContain("answer to nodes --all");
  expect(first).toMatch(/mol \$ \[WARN\][^\n]*\n$/);
  // The next command finds its own prompt, not the one before it.
  const second = await replCommand(repl, "nodes", /answer to nodes\n/, 10_000);
  expect(second).toContain("answer to nodes\n");
  expect(second).not.toContain("nodes --all");
});
