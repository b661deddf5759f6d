// Healthcheck of the CongoDB test image: a `ping` command over the MongoDB
// wire protocol with the driver the app uses (the image has no mongosh).
import mongodb from "mongodb";

// mongodb 3.7 is CommonJS without named exports for ESM.
const { MongoClient } = mongodb;

const client = new MongoClient("mongodb://127.0.0.1:27017", {
  useUnifiedTopology: true,
  serverSelectionTimeoutMS: 2000,
});
try {
  await client.connect();
  await client.db("admin").command({ ping: 1 });
  process.exit(0);
} catch {
  process.exit(1);
}
