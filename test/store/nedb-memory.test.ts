import { catalogStoreContract } from "./catalog-store.contract";
import { docStoreContract } from "./doc-store.contract";

process.env.DATA_DIR = ":memory:";
catalogStoreContract("NeDB in memory");
docStoreContract("NeDB in memory", { enforcesUniqueIndexes: true });
