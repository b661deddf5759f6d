import type { ActionHandler, ActionSchema, Context, Middleware, Service, ServiceBroker } from "moleculer";
import type { Caller } from "../contracts/access";
import { checkAccess } from "./check-access";
import { systemActor } from "./system-caller";

type Meta = { user?: Caller | null; [key: string]: unknown };

/**
 * Enforces each action's declared access (`auth` on the action schema) where
 * the action runs, whoever called it: the gateway checks the same first, but
 * any process on the bus can call an action directly.
 *
 *   public     anyone
 *   customer   a signed-in user in meta.user (admins included), or the system
 *   admin      an admin in meta.user, or the system
 *   internal   another service (a call made inside one of its actions), or the system
 *
 * A system call (system-caller.ts) is let through and logged with its actor,
 * so every time the platform acts as itself leaves a line.
 * Actions that declare nothing (Moleculer's own `$node`, moleculer-web's) are left alone.
 */
export function ActionAccessMiddleware(): Middleware {
  let broker: ServiceBroker;
  return {
    name: "ActionAccess",
    created(b: ServiceBroker) {
      broker = b;
    },
    localAction(handler: ActionHandler, action: ActionSchema & { name?: string }) {
      const level = action.auth;
      if (!level || level === "public") return handler;
      const audit = broker.getLogger("AUDIT");
      return function accessChecked(this: Service, ctx: Context<unknown, Meta>) {
        const actor = systemActor(ctx.meta);
        if (actor) {
          audit.info(`system call ${action.name} by ${actor}`, { caller: ctx.caller ?? null, nodeID: ctx.nodeID });
        } else {
          try {
            checkAccess(level, ctx.meta.user, ctx.caller);
          } catch (err) {
            return Promise.reject(err);
          }
        }
        return handler.call(this, ctx);
      };
    },
  };
}
