import type { Middleware } from "moleculer";

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

export const ReplAuthHintMiddleware: Middleware = {
  name: "ReplAuthHint",
  call(next: (actionName: string, params?: unknown, opts?: { meta?: { $repl?: boolean } }) => Promise<unknown>) {
    return (actionName: string, params?: unknown, opts?: { meta?: { $repl?: boolean } }) => {
      const result = next(actionName, params, opts);
      if (!opts?.meta?.$repl) return result;
      return result.catch((err: Refusal) => {
        if (err && (err.type === "UNAUTHORIZED" || err.type === "FORBIDDEN"))
          err.stack = `${err.message}. ${replAuthHint(actionName)}`;
        throw err;
      });
    };
  },
} as unknown as Middleware;
