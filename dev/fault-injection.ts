import { Errors, type Context, type Middleware, type Service } from "moleculer";
import { config } from "../platform/config";

/**
 * Test-only fault injection, driven by the FAULTS environment variable (see
 * docs/fault-injection.md). A comma list of rules:
 *
 *   payments.charge=error        the action fails with a 500 (not retryable)
 *   payments.charge=error:503    ... with that status code
 *   inventory.reserve=crash      the process kills itself when the action is called
 *   payments.charge=delay:5000   the action answers normally, 5000 ms late (a slow service)
 *   crash=orders:after-charge    the process kills itself at that saga step (faultPoint)
 *
 * moleculer.config.ts loads the middleware only when FAULTS is set, and
 * faultPoint() is a no-op without it, so production pays nothing.
 */
export interface FaultRules {
  actions: Map<string, { kind: "error"; code: number } | { kind: "crash" } | { kind: "delay"; ms: number }>;
  crashPoints: Set<string>;
}

export function parseFaults(spec: string | undefined): FaultRules {
  const rules: FaultRules = { actions: new Map(), crashPoints: new Set() };
  for (const part of (spec ?? "").split(",").map((s) => s.trim())) {
    if (!part) continue;
    const eq = part.indexOf("=");
    if (eq < 1) throw new Error(`FAULTS: "${part}" is not name=fault`);
    const name = part.slice(0, eq).trim();
    const fault = part.slice(eq + 1).trim();
    if (name === "crash") {
      rules.crashPoints.add(fault);
    } else if (fault === "crash") {
      rules.actions.set(name, { kind: "crash" });
    } else if (/^delay:\d+$/.test(fault)) {
      rules.actions.set(name, { kind: "delay", ms: Number(fault.slice(6)) });
    } else if (/^error(:\d{3})?$/.test(fault)) {
      rules.actions.set(name, { kind: "error", code: fault.includes(":") ? Number(fault.slice(6)) : 500 });
    } else {
      throw new Error(`FAULTS: unknown fault "${fault}" for ${name}`);
    }
  }
  return rules;
}

/** Ends the process the way a power cut or an OOM kill would: no shutdown hooks, no flushing. */
function crashNow(where: string): never {
  // Written synchronously so the test harness sees why the process vanished.
  process.stderr.write(`FAULT: crash at ${where}\n`);
  process.kill(process.pid, "SIGKILL");
  // SIGKILL to oneself does not return; this only satisfies the type checker.
  throw new Error(`crash at ${where}`);
}

/** The middleware: makes the named local actions fail or crash the process. */
export function faultInjection(spec: string | undefined = config.FAULTS): Middleware {
  const rules = parseFaults(spec);
  return {
    name: "FaultInjection",
    localAction(next, action) {
      const fault = rules.actions.get(action.name as string);
      if (!fault) return next;
      if (fault.kind === "delay") {
        this.logger.warn(`Fault injection: ${action.name} will answer ${fault.ms} ms late.`);
        return async function delayed(this: Service, ctx: Context) {
          await new Promise((resolve) => setTimeout(resolve, fault.ms));
          return next.call(this, ctx);
        };
      }
      this.logger.warn(
        `Fault injection: ${action.name} will ${fault.kind === "crash" ? "crash the process" : "fail"}.`,
      );
      return function injectedFault() {
        if (fault.kind === "crash") crashNow(action.name as string);
        const message = `Injected fault in ${action.name}`;
        const code = fault.kind === "error" ? fault.code : 500;
        if (code < 500) throw new Errors.MoleculerClientError(message, code, "INJECTED_FAULT");
        throw new Errors.MoleculerError(message, code, "INJECTED_FAULT");
      };
    },
  };
}

let cached: { spec: string | undefined; rules: FaultRules } | undefined;

/**
 * A named point in a workflow, e.g. faultPoint("orders:after-charge"). Kills
 * the process when FAULTS has crash=<that name>; otherwise does nothing.
 */
export function faultPoint(name: string): void {
  const spec = config.FAULTS;
  if (!spec) return;
  if (cached?.spec !== spec) cached = { spec, rules: parseFaults(spec) };
  if (cached.rules.crashPoints.has(name)) crashNow(name);
}
