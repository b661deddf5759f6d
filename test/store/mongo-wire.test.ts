import { startMongo, type MongoServer } from "../helpers/processes";
import { catalogStoreContract } from "./catalog-store.contract";

/**
 * The MongoDB adapter path. With MONGO_URI given (a real MongoDB), the
 * contract runs against it; otherwise against the MongoDB-wire test server
 * (CongoDB) started as its own process. Each run uses a fresh namespace, so
 * fresh databases.
 */
let server: MongoServer | undefined;
const realMongo = process.env.MONGO_URI;

beforeAll(async () => {
  if (!realMongo) {
    server = await startMongo();
    process.env.MONGO_URI = `${server.uri}/agora`;
  }
  process.env.NAMESPACE = `contract${Date.now()}`;
});
afterAll(async () => {
  await server?.stop();
});

catalogStoreContract(realMongo ? "MongoDB (MONGO_URI)" : "MongoDB wire protocol (CongoDB test server)");
