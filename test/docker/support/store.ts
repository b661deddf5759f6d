import { dockerOk } from "./engine";

/**
 * The shop's stored state, read straight from the store container (its port
 * is not published): each service's database is <NAMESPACE>_<service>. The
 * MongoDB driver of the CongoDB test image does the reading.
 */
export interface StoredState {
  orders: { _id: string; status: string; items: { productId: string; quantity: number }[] }[];
  payments: { orderId: string; state: string }[];
}

const SCRIPT = `
const { MongoClient } = require("mongodb");
(async () => {
  const client = await MongoClient.connect("mongodb://127.0.0.1:27017", { useUnifiedTopology: true });
  const all = (db, c) => client.db(db).collection(c).find({}).toArray();
  const out = { orders: await all("agora_orders", "orders"), payments: await all("agora_payments", "payments") };
  process.stdout.write(JSON.stringify(out));
  await client.close();
})();
`;

export async function storedState(mongoContainer: string): Promise<StoredState> {
  return JSON.parse(await dockerOk("exec", "-w", "/app", mongoContainer, "node", "-e", SCRIPT)) as StoredState;
}
