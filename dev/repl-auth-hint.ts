import type { Context, Middleware } from "moleculer";

/**
 * A REPL `call` of an admin or internal action without `--#$system <who>` is
 * refused by the action's node (platform/security: "Authentication required").
 * moleculer-repl prints the error's stack (its ">> ERROR:" line drops the
 * message), which says nothing useful here; this replaces the stack with the
 * refusal and what to type instead, on one line. Only
 * calls the REPL makes (`meta.$repl`) are touched; a refusal reaches every
 * other caller as it was.
 */
export function replAuthHint(actionName: string): string {
  return (
    `${actionName} is for admins or the system. From the REPL, say who acts: ` +
    `call ${actionName} ... --#$system <your name> (docs/repl.md)`
  );
}

type Refusal = Error & { code?: unknown; type?: unknown };
type Handler = (ctx: Context<unknown, { $repl?: boolean }>) => Promise<unknown>;

/** Wraps the caller's side of an action call (remote, or local in `npm run dev`'s REPL). */
function withHint(next: Handler): Handler {
  return (ctx) => {
    if (!ctx.meta.$repl) return next(ctx);
    return next(ctx).catch((err: Refusal) => {
      if (err && (err.type === "UNAUTHORIZED" || err.type === "FORBIDDEN")) {
        err.stack = `${err.message}. ${replAuthHint(ctx.action?.name ?? "this action")}`;
      }
      throw err;
    });
  };
}

export const ReplAuthHintMiddleware: Middleware = {
  name: "ReplAuthHint",
  localAction: withHint,
  remoteAction: withHint,
};
