import type { Middleware } from "moleculer";
import { asSystem } from "../../platform/security/system-caller";

/**
 * Test suites drive services directly (`call(node.broker, "inventory.reserve", ...)`):
 * test code is trusted code, so a broker-level call that names no user acts as
 * the system ("test"). A call with `meta.user` set (even to null) is checked
 * like any other. Suites that test the access check itself start their broker
 * without this middleware (startNode(..., { systemCalls: false })).
 */
// Moleculer's typings declare the `call` hook as returning a promise; it returns the wrapped call.
export const TestCallsAsSystem = {
  name: "TestCallsAsSystem",
  call(next: (name: string, params: unknown, opts: object) => Promise<unknown>) {
    return (name: string, params: unknown, opts: { meta?: Record<string, unknown> } = {}) =>
      next(name, params, opts.meta && "user" in opts.meta ? opts : asSystem("test", opts));
  },
} as unknown as Middleware;
