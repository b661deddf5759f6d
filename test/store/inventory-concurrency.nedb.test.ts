import { inventoryConcurrencyScenario } from "./inventory-concurrency.scenario";

// NeDB in memory (the default under jest): one process serializes the writes.
inventoryConcurrencyScenario("NeDB");
