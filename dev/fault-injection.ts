import fs from "node:fs";
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
 *   hang-stop=catalog            the service's stop never finishes (the stop backstop's test)
 *
 * FAULTS_FILE names a file holding more rules, read again at every call: a
 * test starts and ends an outage in a node that keeps running (a circuit
 * breaker must close on its own, without a restart that would hide it).
 *
 * moleculer.config.ts loads the middleware only when one of them is set, and
 * faultPoint() is a no-op without them, so production pays nothing.
 */
type ActionFault = { kind: "error"; code: number } | { kind: "crash" } | { kind: "delay"; ms: number };

export interface FaultRules {
  actions: Map<string, ActionFault>;
  crashPoints: Set<string>;
  hangStops: Set<string>;
}

export function parseFaults(spec: string | undefined): FaultRules {
  const rules: FaultRules = { actions: new Map(), crashPoints: new Set(), hangStops: new Set() };
  // A file may put one rule per line.
  for (const part of (spec ?? "").split(/[,\n]/).map((s) => s.trim())) {
    if (!part) continue;
    const eq = part.indexOf("=");
    if (eq < 1) throw new Error(`FAULTS: "${part}" is not name=fault`);
    const name = part.slice(0, eq).trim();
    const fault = part.slice(eq + 1).trim();
    if (name === "crash") {
      rules.crashPoints.add(fault);
    } else if (name === "hang-stop") {
      rules.hangStops.add(fault);
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

/** The rules now: `spec` plus what `file` says at this moment (no file: nothing more). */
function ruleSource(spec: string | undefined, file: string | undefined, changed?: (text: string) => void) {
  let seen: string | undefined;
  let rules = parseFaults(spec);
  return (): FaultRules => {
    if (!file) return rules;
    let text = "";
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    if (text !== seen) {
      rules = parseFaults(`${spec ?? ""}\n${text}`);
      seen = text;
      changed?.(text.trim());
    }
    return rules;
  };
}

/** Ends the process the way a power cut or an OOM kill would: no shutdown hooks, no flushing. */
function crashNow(where: string): never {
  // Written synchronously so the test harness sees why the process vanished.
  process.stderr.write(`FAULT: crash at ${where}\n`);
  process.kill(process.pid, "SIGKILL");
  // SIGKILL to oneself does not return; this only satisfies the type checker.
  throw new Error(`crash at ${where}`);
}

async function withFault(fault: ActionFault, name: string, run: () => Promise<unknown>): Promise<unknown> {
  if (fault.kind === "crash") crashNow(name);
  if (fault.kind === "delay") {
    await new Promise((resolve) => setTimeout(resolve, fault.ms));
    return run();
  }
  const message = `Injected fault in ${name}`;
  if (fault.code < 500) throw new Errors.MoleculerClientError(message, fault.code, "INJECTED_FAULT");
  throw new Errors.MoleculerError(message, fault.code, "INJECTED_FAULT");
}

function plan(name: string, fault: ActionFault): string {
  if (fault.kind === "delay") return `${name} will answer ${fault.ms} ms late.`;
  return `${name} will ${fault.kind === "crash" ? "crash the process" : "fail"}.`;
}

/** The middleware: makes the named local actions fail, answer late or crash the process. */
export function faultInjection(
  spec: string | undefined = config.FAULTS,
  file: string | undefined = config.FAULTS_FILE,
): Middleware {
  let rules: () => FaultRules = () => parseFaults(spec);
  return {
    name: "FaultInjection",
    created(broker) {
      rules = ruleSource(spec, file, (text) =>
        broker.logger.warn(`Fault injection: ${file} now says: ${text || "(no faults)"}`),
      );
    },
    async serviceStopped(service: Service) {
      if (!rules().hangStops.has(service.name)) return;
      service.logger.warn(`Fault injection: '${service.name}' will never finish stopping.`);
      await new Promise<void>(() => {});
    },
    localAction(next, action) {
      const name = action.name as string;
      if (file) {
        // The file may name this action at any later call.
        return function mayFail(this: Service, ctx: Context) {
          const fault = rules().actions.get(name);
          return fault ? withFault(fault, name, () => next.call(this, ctx)) : next.call(this, ctx);
        };
      }
      const fault = rules().actions.get(name);
      if (!fault) return next;
      this.logger.warn(`Fault injection: ${plan(name, fault)}`);
      return function injectedFault(this: Service, ctx: Context) {
        return withFault(fault, name, () => next.call(this, ctx));
      };
    },
  };
}

let cached: { key: string; rules: () => FaultRules } | undefined;

/**
 * A named point in a workflow, e.g. faultPoint("orders:after-charge"). Kills
 * the process when FAULTS (or FAULTS_FILE) has crash=<that name>; otherwise does nothing.
 */
export function faultPoint(name: string): void {
  const { FAULTS, FAULTS_FILE } = config;
  if (!FAULTS && !FAULTS_FILE) return;
  const key = `${FAULTS ?? ""}\n${FAULTS_FILE ?? ""}`;
  if (cached?.key !== key) cached = { key, rules: ruleSource(FAULTS, FAULTS_FILE) };
  if (cached.rules().crashPoints.has(name)) crashNow(name);
}
