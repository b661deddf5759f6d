import type { Context, ServiceSchema } from "moleculer";
import { config } from "../config";
import type { EventContracts } from "../../contracts";
import {
  moleculerWebCallAction,
  sendCached,
  type CallActionRequest as Req,
  type CallActionRoute as Route,
  type CallActionThis,
} from "../patches/moleculer-web/call-action";
import { ReadCache, readCacheKey } from "./read-cache";

/** Writes through this gateway that change what product reads show, by service. */
const CLEARS_ALL = new Set(["catalog", "orders"]);

interface ReadPathThis extends CallActionThis {
  readCache?: ReadCache;
}

/**
 * Fewer hops for reads: a gateway answers the product reads it has answered
 * before from its own cache (read-cache.ts) instead of asking the catalog over
 * the transporter. Every gateway clears it on the events writes broadcast
 * (`cache.clean.catalog` from the catalog's store, `inventory.changed` from
 * inventory), so another gateway serves a change once the event has reached
 * it; the gateway a write went through clears it before the write's caller
 * can send its next request (read your own writes). GATEWAY_CACHE=false turns
 * it off; docs/benchmarks.md has the measured staleness.
 */
export function readPathMixin(): Partial<ServiceSchema> {
  return {
    events: {
      "cache.clean.catalog"(this: ReadPathThis) {
        this.readCache?.clear();
      },
      "inventory.changed"(this: ReadPathThis, ctx: Context<EventContracts["inventory.changed"]>) {
        this.readCache?.invalidateProducts(ctx.params.productIds);
      },
      // Events sent while this node was cut off from the transporter are lost.
      "$transporter.connected"(this: ReadPathThis) {
        this.readCache?.clear();
      },
    },

    methods: {
      // moleculer-web's callAction, for reads that the cache can answer; anything else goes to
      // moleculer-web's own (a patch: platform/patches/moleculer-web/call-action.ts).
      async callAction(
        this: ReadPathThis,
        route: Route,
        actionName: string,
        req: Req,
        res: unknown,
        params: Record<string, unknown>,
        isStream?: boolean,
      ) {
        const cache = this.readCache;
        const key = cache && !isStream && req.method === "GET" ? readCacheKey(actionName, params) : null;
        if (!cache || !key) {
          try {
            return await moleculerWebCallAction.call(this, route, actionName, req, res, params, isStream);
          } finally {
            // The response is written; this runs before the node reads the client's next request.
            if (cache && req.method !== "GET") afterWrite(cache, actionName, params);
          }
        }
        const ctx = req.$ctx;
        let body = cache.get(key);
        if (!body) {
          const since = cache.generation;
          body = cache.store(key, await ctx.call(actionName, params, { ...route.callOptions }), since);
        }
        return sendCached.call(this, route, req, res, body);
      },
    },

    created(this: { readCache?: ReadCache }) {
      if (config.GATEWAY_CACHE) {
        this.readCache = new ReadCache({ max: config.CACHE_MAX, ttlMs: config.CACHE_TTL * 1000 });
      }
    },
  } as Partial<ServiceSchema>;
}

function afterWrite(cache: ReadCache, actionName: string, params: Record<string, unknown>): void {
  const service = actionName.split(".")[0];
  if (CLEARS_ALL.has(service)) cache.clear();
  else if (actionName === "inventory.set" && typeof params.productId === "string") {
    cache.invalidateProducts([params.productId]);
  }
}
