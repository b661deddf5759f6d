import { usersRegistrationScenario } from "./users-registration.scenario";

// Stores are in memory under jest (NeDB, platform/store/nedb-adapter.ts).
usersRegistrationScenario("NeDB");
