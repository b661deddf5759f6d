import net from "node:net";
import { config } from "../../platform/config";
import { MongoAdapter } from "../../platform/store/mongo-adapter";

const CONNECT_TIMEOUT_MS = config.MONGO_CONNECT_TIMEOUT_MS;

/**
 * A MongoDB that accepts connections and never answers (issue #12, defect 1):
 * connecting fails within MONGO_CONNECT_TIMEOUT_MS with an error naming the store,
 * credentials left out, instead of waiting forever (mixins/db.mixin.ts then
 * names the store and exits; test/docker/store-down.test.ts shows it in a container).
 */
describe("MongoAdapter.connect against a server that never answers", () => {
  let server: net.Server;
  let port: number;
  const sockets: net.Socket[] = [];

  beforeAll(async () => {
    server = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it(
    "fails naming the database and server, without the credentials",
    async () => {
      const adapter = new MongoAdapter(
        `mongodb://agora:not-for-logs@127.0.0.1:${port}/?authSource=admin`,
        {},
        "agora_catalog",
      );
      const error = await adapter.connect().then(
        () => undefined,
        (err: Error) => err,
      );
      expect(error?.message).toBe(
        `MongoDB store agora_catalog at 127.0.0.1:${port} did not answer within ${CONNECT_TIMEOUT_MS} ms`,
      );
      expect(error?.message).not.toContain("not-for-logs");
      expect(sockets.length).toBeGreaterThan(0);
    },
    CONNECT_TIMEOUT_MS + 20_000,
  );
});
