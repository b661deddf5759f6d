import type { ServiceBroker } from "moleculer";

/**
 * When the REPL shows its prompt. moleculer-repl prints `mol $` the moment
 * broker.repl() is called, and moleculer-runner --repl (so `npm run dev`) and
 * scripts/repl.ts call it as soon as the broker has started. Work the start-up
 * set going goes on after that and logs below the prompt: the gateway prints its
 * routes again for every service that registers (those of other nodes arrive
 * over the transporter), inventory creates stock levels for a freshly seeded
 * catalog, nodes connect. So the prompt waits until the broker has started and
 * nothing has been logged for a moment; a node that never stops logging still
 * gets its prompt after `maxWaitMs`.
 */
export const PROMPT_QUIET_MS = 2000;
export const PROMPT_MAX_WAIT_MS = 15_000;

/** Notes when the broker last printed a log line. */
export class LogActivity {
  private lastLineAt = Date.now();

  /** Wraps a log formatter, which Moleculer's Console logger calls once for each line it prints. */
  watch<A extends unknown[], R>(format: (...args: A) => R): (...args: A) => R {
    return (...args) => {
      this.lastLineAt = Date.now();
      return format(...args);
    };
  }

  /** Resolves once nothing was printed for quietMs, or after maxWaitMs however much is printed. */
  quiet(quietMs: number, maxWaitMs: number): Promise<void> {
    const giveUpAt = Date.now() + maxWaitMs;
    return new Promise((resolve) => {
      const check = () => {
        const now = Date.now();
        if (now - this.lastLineAt >= quietMs || now >= giveUpAt) return resolve();
        setTimeout(check, Math.min(quietMs - (now - this.lastLineAt), giveUpAt - now));
      };
      check();
    });
  }
}

/**
 * Makes broker.repl() (called by moleculer-runner --repl and scripts/repl.ts
 * once the broker has started) wait for the log to go quiet before it starts
 * moleculer-repl. Input typed meanwhile waits in stdin and is read then.
 */
export function promptAfterStartup(
  broker: ServiceBroker,
  activity: LogActivity,
  quietMs = PROMPT_QUIET_MS,
  maxWaitMs = PROMPT_MAX_WAIT_MS,
): void {
  const startRepl = broker.repl.bind(broker);
  broker.repl = () => {
    void activity.quiet(quietMs, maxWaitMs).then(startRepl);
  };
}
