import { freePort, startProcess, type Proc } from "../helpers/processes";

/**
 * `npm start` as docs/scale-out.md runs it in the background of a shell and
 * stops it with `kill $(jobs -p)`: the signal reaches npm only, and must
 * reach the node it started. After npm exits nothing of its process group is
 * left (no node still holding the port), and the node's stop logged no error.
 */
const alive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

async function npmStart(): Promise<Proc> {
  const env = {
    NODE_ENV: "production",
    SERVICES: "api,catalog",
    TRANSPORTER: "",
    PORT: String(await freePort()),
    HEALTH_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    DATA_DIR: ":memory:",
    LOGLEVEL: "info",
    JEST_WORKER_ID: "",
    SERVICEDIR: "",
  };
  // A process group of its own, as a shell's background job has.
  const proc = startProcess("npm", ["start", "--silent"], env, undefined, { detached: true });
  await proc.waitFor(/ServiceBroker with \d+ service\(s\) started successfully/, 60_000);
  return proc;
}

describe("npm start passes a stop signal on to the node it started", () => {
  let proc: Proc | undefined;
  afterEach(() => {
    if (proc?.child.pid && alive(proc.child.pid)) process.kill(-proc.child.pid, "SIGKILL");
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s to npm alone: the node stops cleanly, nothing is left",
    async (signal) => {
      proc = await npmStart();
      const pgid = proc.child.pid!;
      proc.child.kill(signal);
      await proc.exited;
      expect(await gone(pgid, 15_000)).toBe(true);
      const output = proc.output();
      expect(output).toMatch(/ServiceBroker is stopped|stopped/i);
      // Every line the node logged while stopping says something; none is an error.
      const errors = output.split("\n").filter((l) => l.includes('"level":"error"'));
      expect(errors).toEqual([]);
    },
    90_000,
  );
});
