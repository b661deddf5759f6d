import type { Context, ServiceSchema } from "moleculer";
import { config } from "../config";
import type { Invalidates, ServiceContract } from "../contracts/define";
import {
  moleculerWebCallAction,
  sendCached,
  type CallActionRequest as Req,
  type CallActionRoute as Route,
  type CallActionThis,
} from "../patches/moleculer-web/call-action";
import { cacheDeclarations, ReadCache } from "./read-cache";

interface ReadPathThis extends CallActionThis {
  readCache?: ReadCache;
}

/**
 * Fewer hops for reads: a gateway answers the reads it has answered before
 * (those a contract declares `cache`, e.g. product reads) from its own cache
 * (read-cache.ts) instead of asking their service over the transporter. Every
 * gateway clears it on the events the declarations name (e.g. a store's
 * cache clean, a stock change), so another gateway serves a change once the
 * event has reached it; the gateway a write went through (an action declaring
 * `invalidates`) updates it before the write's caller can send its next
 * request (read your own writes). GATEWAY_CACHE=false turns it off;
 * docs/benchmarks.md has the measured staleness.
 */
export function readPathMixin(contracts: readonly ServiceContract[]): Partial<ServiceSchema> {
  const { reads, writes, clearOn, dropOn } = cacheDeclarations(contracts);
  const events: Record<string, (this: ReadPathThis, ctx: Context<Record<string, unknown>>) => void> = {};
  for (const event of clearOn) {
    events[event] = function clearReads(this: ReadPathThis) {
      this.readCache?.clear();
    };
  }
  for (const [event, field] of dropOn) {
    events[event] = function dropReads(this: ReadPathThis, ctx: Context<Record<string, unknown>>) {
      const ids = ctx.params[field];
      if (Array.isArray(ids)) this.readCache?.invalidateRows(ids.filter((id) => typeof id === "string"));
    };
  }
  return {
    events: {
      ...events,
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
        const key = cache && !isStream && req.method === "GET" ? cache.key(actionName, params) : null;
        if (!cache || !key) {
          try {
            return await moleculerWebCallAction.call(this, route, actionName, req, res, params, isStream);
          } finally {
            // The response is written; this runs before the node reads the client's next request.
            if (cache && req.method !== "GET") afterWrite(cache, writes.get(actionName), params);
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
        this.readCache = new ReadCache({ max: config.CACHE_MAX, ttlMs: config.CACHE_TTL * 1000, reads });
      }
    },
  } as Partial<ServiceSchema>;
}

function afterWrite(cache: ReadCache, invalidates: Invalidates | undefined, params: Record<string, unknown>): void {
  if (invalidates === "all") return cache.clear();
  const id = invalidates && params[invalidates.ids];
  if (typeof id === "string") cache.invalidateRows([id]);
}
