// Runs before every test file: the gateway picks a free port, stores are in
// memory unless a suite asks for files, and logs stay quiet.
import { declareVariables, resetConfig } from "../platform/config";
import { serviceVariables } from "../services/variables";

// As moleculer.config.ts does on every node: the services' variables join the platform's.
declareVariables(serviceVariables);

process.env.NODE_ENV = "test";
process.env.PORT ??= "0";
process.env.LOGLEVEL ??= "warn";
// Suites register many users from one address; the auth rate-limit suite sets its own low limit.
process.env.AUTH_RATE_LIMIT ??= "100000";
// A fixed secret, so tokens are accepted by every users node a suite starts.
process.env.JWT_SECRET ??= "test-only-jwt-secret-0123456789abcdef";

// The config is parsed once per process; suites change process.env between
// brokers (a write, a delete, or a whole new object), so each change makes
// the next read parse it again.
const watched = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  new Proxy(env, {
    set(target, name, value) {
      resetConfig();
      return Reflect.set(target, name, value);
    },
    deleteProperty(target, name) {
      resetConfig();
      return Reflect.deleteProperty(target, name);
    },
  });
let env = watched(process.env);
Object.defineProperty(process, "env", {
  configurable: true,
  enumerable: true,
  get: () => env,
  set: (next: NodeJS.ProcessEnv) => {
    env = watched(next);
    resetConfig();
  },
});
