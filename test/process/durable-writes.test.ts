import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { request } from "../helpers/http";
import { startAgoraNode, stopAll, type AgoraNode } from "../helpers/processes";

/**
 * The embedded store acknowledges a write only once it is in the file
 * (platform/store/append-log.ts): a node killed with SIGKILL the moment a
 * response arrives, while other writes are still in flight, has every
 * acknowledged write after a restart on the same DATA_DIR.
 */
describe("acknowledged writes survive kill -9 (embedded store, real processes)", () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-durable-"));
  });
  afterAll(async () => {
    await stopAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = () =>
    startAgoraNode({ services: ["api", "users"], env: { DATA_DIR: dataDir, AUTH_RATE_LIMIT: "1000" } });
  const post = (url: string, route: string, body: object) => request(url, "POST", route, { body });

  it("every account whose registration was answered 201 can log in after the crash", async () => {
    const node: AgoraNode = await start();
    const total = 16;
    const killAfter = 8;
    const acknowledged: string[] = [];
    let answered = 0;
    const emails = Array.from({ length: total }, (_, i) => `durable-${i}-${Date.now()}@example.com`);

    await Promise.allSettled(
      emails.map(async (email) => {
        const res = await post(node.url, "/api/v1/auth/register", { email, password: `pw-${email}`, name: "D" });
        if (res.status === 201) acknowledged.push(email);
        // kill -9 right after a response: the writes still in flight die with the process.
        if (++answered === killAfter) node.child.kill("SIGKILL");
      }),
    );
    await node.exited;
    expect(node.child.signalCode).toBe("SIGKILL");
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);

    const restarted = await start();
    const logins = await Promise.all(
      acknowledged.map((email) => post(restarted.url, "/api/v1/auth/login", { email, password: `pw-${email}` })),
    );
    expect(logins.map((r) => r.status)).toEqual(acknowledged.map(() => 200));
  });
});
