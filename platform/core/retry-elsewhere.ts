import { Strategies, type ActionHandler, type Context, type Middleware } from "moleculer";

/**
 * A retried call goes to a replica it has not tried yet. Moleculer's retry
 * policy sends a failed call through the balancer again, and round robin
 * picks whichever node is next in turn: with two replicas and other calls in
 * between, that is the node that just failed as often as not - one dropped
 * too late or not at all (hung, or restarted under the same node ID and not
 * ready yet) answers the retry the same way, and three retries can all land
 * there. Here each attempt of a call records the node it was sent to (in the
 * call's context's locals, which the retry's copy of the context shares and
 * which never travel), and the balancer skips those nodes while another
 * replica is available. With every replica tried, it picks among all of
 * them as before.
 *
 * Relies on moleculer@0.15.2's retry middleware (src/middlewares/retry.js)
 * calling again through the balancer with `ctx.copy()`, which shares
 * `locals`, and on the remoteAction hook running once per attempt: public
 * extension points, no private state; test/unit/retry-elsewhere.test.ts
 * fails if an upgrade changes either.
 */

const TRIED = Symbol("triedNodes");

type Locals = Record<PropertyKey, unknown>;

function triedNodes(ctx: Context | undefined): Set<string> | undefined {
  return (ctx?.locals as Locals | undefined)?.[TRIED] as Set<string> | undefined;
}

/** Records the node each attempt of a remote call goes to (runs inside the retry policy, once per attempt). */
export function RetryElsewhereMiddleware(): Middleware {
  return {
    name: "RetryElsewhere",
    remoteAction(next: ActionHandler): ActionHandler {
      return function (this: ThisParameterType<ActionHandler>, ctx: Context) {
        if (ctx.nodeID && ctx.locals) {
          const locals = ctx.locals as Locals;
          const tried = (locals[TRIED] as Set<string> | undefined) ?? new Set<string>();
          tried.add(ctx.nodeID);
          locals[TRIED] = tried;
        }
        return next.call(this, ctx);
      };
    },
  };
}

type Endpoint = Parameters<Strategies.RoundRobin["select"]>[0][number];

/** Round robin over the replicas this call has not tried yet (all of them when it tried every one). */
export class RetryElsewhereStrategy extends Strategies.RoundRobin {
  override select(list: Endpoint[], ctx?: Context): Endpoint {
    const tried = triedNodes(ctx);
    if (tried) {
      const untried = list.filter((ep) => !tried.has(ep.id));
      if (untried.length > 0) return super.select(untried);
    }
    return super.select(list);
  }
}
