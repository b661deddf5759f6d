import { useMongoStore } from "../helpers/mongo-store";
import { usersRegistrationScenario } from "./users-registration.scenario";

/**
 * The same race on the MongoDB adapter: against MONGO_URI when given, else the
 * MongoDB-wire test server (CongoDB), which does not enforce unique secondary
 * indexes: only `_id` uniqueness stands between two registrations.
 */
const store = useMongoStore("users");

usersRegistrationScenario(store);
