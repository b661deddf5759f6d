import net from "node:net";
import { startAgoraNode, stopAll } from "../helpers/processes";

/**
 * A MongoDB that accepts connections and never answers (a stuck proxy, a
 * wrong port) must not hang a node: after MONGO_CONNECT_TIMEOUT_MS the node
 * names the store it could not reach, without its credentials, and exits
 * (mixins/db.mixin.ts), so the orchestrator restarts it and shows it failing.
 */
describe("a MongoDB that never answers", () => {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket); // accepted, never answered
    socket.on("close", () => sockets.delete(socket));
  });
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await stopAll();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it("the node logs which store it could not reach and exits instead of waiting forever", async () => {
    const started = startAgoraNode({
      services: ["catalog"],
      env: {
        MONGO_URI: `mongodb://agora:s3cret-pw@127.0.0.1:${port}/agora`,
        MONGO_CONNECT_TIMEOUT_MS: "1000",
      },
    });
    const failure = await started.then(
      () => new Error("the node started"),
      (err: Error) => err,
    );
    expect(failure.message).toMatch(/exited before/);
    expect(failure.message).toContain(`catalog: could not connect to MongoDB mongodb://127.0.0.1:${port}/agora`);
    expect(failure.message).not.toContain("s3cret-pw");
    expect(accepted).toBeGreaterThan(0); // it did connect: the handshake is what never came
  });
});
