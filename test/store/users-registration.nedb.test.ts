import { usersRegistrationScenario } from "./users-registration.scenario";

// Stores are in memory under jest (NeDB, the moleculer-db MemoryAdapter).
usersRegistrationScenario("NeDB");
