import type { Middleware, Service, ServiceBroker } from "moleculer";

/**
 * The process's own limit on a stop. On SIGTERM or SIGINT Moleculer stops the
 * broker and exits 0 once that is done; a stop that never finishes (a
 * service's stopped() waiting on something that will not come) would keep
 * the process alive until something outside kills it, and say nothing about
 * why. Here, `afterMs` after the signal, a stop still under way logs one line
 * naming what it is waiting for and ends the process with code 1.
 *
 * Nothing runs until a signal arrives: no timer, no cost per call.
 */
export interface StopBackstopOptions {
  afterMs: number;
  /** process.exit, unless a test wants to see the call. */
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

export function stopBackstop({
  afterMs,
  exit = (code) => process.exit(code),
  signals = ["SIGTERM", "SIGINT"],
}: StopBackstopOptions): Middleware {
  let broker: ServiceBroker | undefined;
  let step = "the broker's stop to begin";
  const stopping = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  function pending(): string {
    if (stopping.size) return `services still stopping: ${[...stopping].sort().join(", ")}`;
    return step;
  }

  function onSignal(signal: NodeJS.Signals): void {
    if (timer) return;
    timer = setTimeout(() => {
      const line = `Stop not finished ${afterMs} ms after ${signal}; waiting for ${pending()}. Exiting with code 1.`;
      if (broker) broker.logger.error(line);
      else process.stderr.write(`${line}\n`);
      exit(1);
    }, afterMs);
    // The backstop itself must never be what keeps the process alive.
    timer.unref();
  }

  return {
    name: "StopBackstop",
    created(b: ServiceBroker) {
      broker = b;
      for (const signal of signals) process.on(signal, onSignal);
    },
    async stopping() {
      step = "the calls in flight (SHUTDOWN_TIMEOUT)";
    },
    async serviceStopping(service: Service) {
      stopping.add(service.fullName);
    },
    async serviceStopped(service: Service) {
      stopping.delete(service.fullName);
      if (!stopping.size) step = "the transporter, cacher, metrics and tracer to close";
    },
    async stopped() {
      step = "the broker's stopped() handler (probe listener) and the logger";
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
