import type { Context, Service } from "moleculer";
import { defineService, type RequestMeta } from "../../contracts";
import { webContract } from "../../contracts/web";
import { config } from "../../platform/config";
import { findAsset } from "./domain/assets";
import { notFoundView } from "./pages/errors";
import { csrfKey, servePage, type Handler } from "./request";
import { WEB_PAGES, type PageName } from "./web.pages";

interface WebMethods {
  page<P>(ctx: Context<P, RequestMeta>, handler: Handler<P>): Promise<string | null>;
  form<P>(ctx: Context<P, RequestMeta>, handler: Handler<P>): Promise<string | null>;
}

interface WebState {
  csrfKey: Buffer;
}

/**
 * The storefront: server-rendered HTML pages over the other services'
 * actions. The gateway routes page URLs here (web.routes.ts); each action
 * renders one page (GET) or handles one form (POST, answered with a 303
 * redirect or the form again). Sessions, form tokens and error pages:
 * request.ts. Pages: pages/, their calls: handlers/.
 *
 * Every page action is `public` to the bus: a page reads its own cookie
 * session and answers a sign-in redirect or a 403 page itself (a 401 JSON
 * error is no answer for a browser). The calls it then makes carry the
 * session's user, so the other services still enforce their own levels.
 */
type WebThis = Service & WebMethods & WebState;

/** What every page action is to the broker: a public action answering HTML or a redirect. */
interface PageAction {
  auth: "public";
  handler(this: WebThis, ctx: Context<Record<string, unknown>, RequestMeta>): Promise<string | null>;
}

/** One action per page of the table (web.pages.ts), served as a page or as a form. */
function pageActions(): Record<PageName, PageAction> {
  const entries = Object.entries(WEB_PAGES).map(([name, page]): [string, PageAction] => [
    name,
    {
      auth: "public",
      handler(ctx) {
        return this[page.serve](ctx, page.handler as Handler<Record<string, unknown>>);
      },
    },
  ]);
  return Object.fromEntries(entries) as Record<PageName, PageAction>;
}

export default defineService<WebMethods & WebState>()(webContract, {
  actions: {
    ...pageActions(),

    asset: {
      auth: "public",
      handler(ctx) {
        const asset = findAsset(ctx.params.file);
        if (!asset) return this.page(ctx, async () => ({ view: notFoundView() }));
        ctx.meta.$responseType = asset.type;
        ctx.meta.$responseHeaders = {
          "Cache-Control": "public, max-age=31536000, immutable",
          "X-Content-Type-Options": "nosniff",
        };
        return asset.body;
      },
    },
  },

  methods: {
    page(ctx, handler) {
      return servePage(ctx, handler, { key: this.csrfKey, cartCount: true, logger: this.logger });
    },
    form(ctx, handler) {
      return servePage(ctx, handler, { key: this.csrfKey, form: true, logger: this.logger });
    },
  },

  created() {
    const secret = config.JWT_SECRET;
    if (!secret && config.NODE_ENV === "production")
      throw new Error("JWT_SECRET is required when NODE_ENV=production (web form tokens)");
    this.csrfKey = csrfKey(secret);
  },
});
