import { eventually } from "../helpers/processes";
import { buildLocalImages, describeDocker, type Run } from "./support/engine";
import { AGORA_SERVICES, Stack } from "./support/stack";

/**
 * Issue #12, test 8: a store that never answers. The `mongo` service is
 * replaced by a server that accepts connections and says nothing. Every
 * stateful service must say so in its log, naming the store (without
 * credentials), within a bounded time, and exit (the restart policy starts it
 * again, and it says so again); `up` must not report success meanwhile.
 */
const MIN = 60_000;
const SILENT_STORE = `
services:
  mongo:
    image: agora-local/node:24
    command: ["node", "-e", "require('net').createServer(() => {}).listen(27017)"]
    healthcheck:
      test: ["CMD", "true"]
`;
const STATEFUL = AGORA_SERVICES.filter((s) => s !== "api");

describeDocker("8. a store that never answers", () => {
  let stack: Stack;

  beforeAll(async () => {
    await buildLocalImages();
    stack = await Stack.create("silentstore", SILENT_STORE);
  }, 30 * MIN);

  afterAll(async () => {
    await stack?.destroy();
  }, 5 * MIN);

  it(
    "every stateful service names the store it cannot reach, exits and is restarted; up does not report success",
    async () => {
      // up runs while the services fail: it must not have reported success by
      // the time every one of them said twice that it cannot reach its store.
      const stopUp = new AbortController();
      let upResult: Run | undefined;
      const up = stack.compose(["up", "-d", "--no-build"], {}, 10 * MIN, stopUp.signal).then((r) => (upResult = r));

      for (const service of STATEFUL) {
        const logs = await eventually(
          async () => {
            const text = await stack.logs(service);
            // At least twice: it exits, is started again, and says so again.
            const said = text.match(
              new RegExp(`could not connect to MongoDB mongodb://mongo:27017/ \\(database of ${service}`, "g"),
            );
            return (said?.length ?? 0) >= 2 && text;
          },
          5 * MIN,
          2000,
        );
        expect(logs).not.toContain("change-me-mongo-password");
      }
      const finished = upResult;
      console.log(
        `8. up ${finished ? `exited ${finished.code}: ${finished.stderr.trim().split("\n").slice(-2).join(" | ")}` : "still waiting"} once every stateful service had said so twice`,
      );
      expect(finished?.code ?? "still waiting").not.toBe(0);
      stopUp.abort();
      await up;
    },
    20 * MIN,
  );
});
