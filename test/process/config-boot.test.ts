import path from "node:path";
import { startProcess, stopAll } from "../helpers/processes";

/**
 * A malformed variable stops the node at start, from the real entry
 * (moleculer-runner loading moleculer.config.ts with tsx), and says which
 * variable and what it accepts — instead of running with a silent default.
 */
const ROOT = path.resolve(__dirname, "../..");
const RUNNER = path.join(ROOT, "node_modules/moleculer/bin/moleculer-runner.js");

function startNode(env: Record<string, string>) {
  return startProcess(
    process.execPath,
    ["--import", "tsx", RUNNER, "--config", "moleculer.config.ts", "catalog/catalog.service.ts"],
    { NODE_ENV: "development", DATA_DIR: ":memory:", LOGLEVEL: "info", ...env },
  );
}

afterAll(stopAll);

describe("a node with a malformed variable", () => {
  it("METRICS=flase exits non-zero naming METRICS and the words it accepts", async () => {
    const node = startNode({ METRICS: "flase" });
    const code = await node.exited;
    expect(code).not.toBe(0);
    expect(node.output()).toContain('METRICS="flase": accepts true/false/1/0/yes/no/on/off');
    expect(node.output()).not.toMatch(/ServiceBroker .* started/);
  });

  it("PORT=abc and TRACING_SAMPLE_RATE=2 are both reported", async () => {
    const node = startNode({ PORT: "abc", TRACING_SAMPLE_RATE: "2" });
    expect(await node.exited).not.toBe(0);
    expect(node.output()).toContain('PORT="abc": accepts a whole number from 0 to 65535');
    expect(node.output()).toContain('TRACING_SAMPLE_RATE="2": accepts a number from 0 to 1');
  });

  it("the same node starts when the value is a valid bool (METRICS=off)", async () => {
    // Only the catalog with no gateway, transporter or listener: the node starts, finds nothing to wait for, and stops.
    const node = startNode({ METRICS: "off", LOGLEVEL: "info" });
    expect(await node.exited).toBe(0);
    expect(node.output()).toMatch(/ServiceBroker with \d+ service\(s\) started successfully/);
  });
});
