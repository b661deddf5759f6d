import { startMongo, type MongoServer } from "../helpers/processes";
import { inventoryConcurrencyScenario } from "./inventory-concurrency.scenario";

/**
 * The same race on the MongoDB adapter: against MONGO_URI when given (a real
 * MongoDB), else the MongoDB-wire test server (CongoDB) as its own process.
 * Stores are chosen when a service starts, so setting MONGO_URI here, before
 * the scenario's beforeAll starts the node, is enough.
 */
let server: MongoServer | undefined;
const realMongo = process.env.MONGO_URI;

beforeAll(async () => {
  if (!realMongo) {
    server = await startMongo();
    process.env.MONGO_URI = `${server.uri}/agora`;
  }
  process.env.NAMESPACE = `inventory${Date.now()}`;
});
afterAll(async () => {
  await server?.stop();
});

inventoryConcurrencyScenario(realMongo ? "MongoDB (MONGO_URI)" : "MongoDB wire protocol (CongoDB test server)");
