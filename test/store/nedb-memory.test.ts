import { catalogStoreContract } from "./catalog-store.contract";

process.env.DATA_DIR = ":memory:";
catalogStoreContract("NeDB in memory");
