import type { Context, Errors } from "moleculer";
import { call } from "../../contracts";

/**
 * Recommendations come from the Go service, an optional dependency: the
 * product page must work without it. Each call gets a short timeout and goes
 * to each recommendations node at most once: a node that crashed is still in
 * the registry until its heartbeats are missed, so a call that times out
 * there is sent to another node at once instead of to the same one again.
 * With no node (left) the answer is "nothing to recommend", never an error;
 * the Go service's own answers (a 404 for an unknown product) pass through.
 */
const ACTION = "recommendations.forProduct";
const TIMEOUT_MS = 2000;

function availableNodes(ctx: Context): string[] {
  return (
    ctx.broker.registry
      .getActionEndpoints(ACTION)
      ?.endpoints.filter((ep) => ep.isAvailable)
      .map((ep) => ep.node.id) ?? []
  );
}

export async function boughtTogether(ctx: Context, productId: string, limit: number | undefined): Promise<string[]> {
  const tried = new Set<string>();
  for (;;) {
    const untried = availableNodes(ctx).filter((id) => !tried.has(id));
    if (untried.length === 0) return [];
    // The first attempt is balanced by the broker; after a failure, the next node is named.
    const nodeID = tried.size === 0 ? undefined : untried[0];
    try {
      const answer = await call(ctx, ACTION, { productId, limit }, { timeout: TIMEOUT_MS, retries: 0, nodeID });
      return answer.productIds;
    } catch (err) {
      const e = err as Errors.MoleculerError;
      if (!e.retryable) throw err;
      const failed = nodeID ?? (e.data as { nodeID?: string } | undefined)?.nodeID;
      if (!failed) return [];
      tried.add(failed);
      ctx.service?.logger.warn(`${ACTION} failed on ${failed} (${e.message}); trying another node`);
    }
  }
}
