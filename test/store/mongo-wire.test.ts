import { useMongoStore } from "../helpers/mongo-store";
import { catalogStoreContract } from "./catalog-store.contract";
import { docStoreContract } from "./doc-store.contract";

/**
 * The MongoDB adapter path. With MONGO_URI given (a real MongoDB), the
 * contract runs against it; otherwise against the MongoDB-wire test server
 * (CongoDB) started as its own process. Each run uses a fresh namespace, so
 * fresh databases.
 */
const store = useMongoStore("contract");

catalogStoreContract(store);
// The MongoDB-wire test server does not enforce unique secondary indexes; MongoDB does.
docStoreContract(store, { enforcesUniqueIndexes: !!process.env.MONGO_URI });
