import type { ActionHandler, ActionSchema, Context, Middleware, ServiceBroker } from "moleculer";

/**
 * A per-node request meter for the status page: how many action calls this
 * node handled per second, averaged over the last WINDOW_S seconds. It costs
 * one array write per call, so it stays on even without metrics.
 */
const WINDOW_S = 10;

class RateMeter {
  private buckets = new Array<number>(WINDOW_S + 1).fill(0);
  private second = 0;

  hit(now = Date.now()): void {
    this.advance(now);
    this.buckets[this.second % this.buckets.length]++;
  }

  /** Calls per second over the last full WINDOW_S seconds. */
  rate(now = Date.now()): number {
    this.advance(now);
    let total = 0;
    for (let i = 1; i <= WINDOW_S; i++)
      total += this.buckets[(this.second - i + this.buckets.length * 2) % this.buckets.length];
    return Math.round((total / WINDOW_S) * 10) / 10;
  }

  private advance(now: number): void {
    const second = Math.floor(now / 1000);
    if (this.second === 0) this.second = second;
    const gap = Math.min(second - this.second, this.buckets.length);
    for (let i = 1; i <= gap; i++) this.buckets[(this.second + i) % this.buckets.length] = 0;
    if (second > this.second) this.second = second;
  }
}

const meters = new WeakMap<ServiceBroker, RateMeter>();

function meterOf(broker: ServiceBroker): RateMeter {
  let meter = meters.get(broker);
  if (!meter) meters.set(broker, (meter = new RateMeter()));
  return meter;
}

/** Requests per second this node handled recently. */
export function requestRate(broker: ServiceBroker): number {
  return meterOf(broker).rate();
}

/** Counts local calls of the node's own actions (not $node.* internals, not the probes). */
export const RequestRateMiddleware: Middleware = {
  name: "RequestRate",
  localAction(next: ActionHandler, action: ActionSchema): ActionHandler {
    if (action.name?.startsWith("$")) return next;
    return function (this: ThisParameterType<ActionHandler>, ctx: Context) {
      meterOf(ctx.broker).hit();
      return next.call(this, ctx);
    };
  },
};

export { RateMeter };
