import { startMongo, type MongoServer } from "../helpers/processes";
import { usersRegistrationScenario } from "./users-registration.scenario";

/**
 * The same race on the MongoDB adapter: against MONGO_URI when given, else the
 * MongoDB-wire test server (CongoDB), which does not enforce unique secondary
 * indexes: only `_id` uniqueness stands between two registrations.
 */
let server: MongoServer | undefined;
const realMongo = process.env.MONGO_URI;

beforeAll(async () => {
  if (!realMongo) {
    server = await startMongo();
    process.env.MONGO_URI = `${server.uri}/agora`;
  }
  process.env.NAMESPACE = `users${Date.now()}`;
});
afterAll(async () => {
  await server?.stop();
});

usersRegistrationScenario(realMongo ? "MongoDB (MONGO_URI)" : "MongoDB wire protocol (CongoDB test server)");
