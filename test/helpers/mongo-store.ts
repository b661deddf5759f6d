import { startMongo, type MongoServer } from "./processes";

/**
 * Points the services of this test file at MongoDB: the one in MONGO_URI
 * when given (a real MongoDB), else the MongoDB-wire test server (CongoDB)
 * started as its own process. A fresh NAMESPACE gives fresh databases.
 * Stores are chosen when a service starts, so this must run (as a beforeAll
 * registered first) before the suites start their nodes. Returns the label
 * of the store for test titles.
 */
export function useMongoStore(namespacePrefix: string): string {
  const realMongo = process.env.MONGO_URI;
  let server: MongoServer | undefined;

  beforeAll(async () => {
    if (!realMongo) {
      server = await startMongo();
      process.env.MONGO_URI = `${server.uri}/agora`;
    }
    process.env.NAMESPACE = `${namespacePrefix}${Date.now()}`;
  });
  afterAll(async () => {
    await server?.stop();
  });

  return realMongo ? "MongoDB (MONGO_URI)" : "MongoDB wire protocol (CongoDB test server)";
}
