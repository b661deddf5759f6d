import { MatchersV3 as M } from "@pact-foundation/pact";
import type { Context, ServiceBroker, ServiceSchema } from "moleculer";
import type { Caller, RequestMeta } from "../../../../contracts";
import type { WebRequestInfo } from "../../../../contracts/web";
import { CSRF_COOKIE, SESSION_COOKIE } from "../../../../services/web/domain/cookies";
import { csrfToken } from "../../../../services/web/domain/csrf";
import { localBroker, settle, type ActionAnswer } from "../../pact";
import { CONTRACT_IDS } from "../../states";

/**
 * The storefront as a consumer: the real web service on a local broker, its
 * pages asked for as the gateway's page routes ask (ctx.meta.http with the
 * browser's cookies). Every action it calls is a stub: the interaction under
 * test answers from the pact (`answer`), the page's other calls (the session,
 * the cart badge) from plain defaults, so one test pins one call.
 */

export const CUSTOMER: Caller = { id: CONTRACT_IDS.user, email: "pact@example.com", role: "customer" };
export const ADMIN: Caller = { ...CUSTOMER, role: "admin" };

/** A timestamp as the services write it (Pact's regex matchers match the whole value). */
export const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** The contract product as the pages read it (cards, product page, admin form). */
export const productMatcher = {
  id: CONTRACT_IDS.product,
  sku: M.like("MUG-001"),
  name: M.like("Stoneware Mug"),
  description: M.like("A heavy stoneware mug that keeps coffee hot."),
  priceCents: M.integer(1400),
  currency: M.regex(/^[A-Z]{3}$/, "EUR"),
  category: M.like("kitchen"),
  tags: M.eachLike("mug"),
  active: M.boolean(true),
  available: M.integer(0),
};

const PROVIDERS: Record<string, string[]> = {
  users: ["resolveToken", "login", "register", "lookup"],
  cart: ["get", "setItem", "removeItem"],
  catalog: ["list", "get", "create", "update", "recommended"],
  inventory: ["set"],
  orders: ["checkout", "list", "listAll", "get"],
  notifications: ["list"],
};

export interface Asked {
  action: string;
  params: Record<string, unknown>;
  meta: RequestMeta;
}

export interface PageAnswer {
  status: number;
  body: string;
  location?: string;
  cookies: string[];
}

const HOST = "shop.example";
const EMPTY_PAGE = { rows: [], total: 0, page: 1, pageSize: 20, totalPages: 0 };

export class Storefront {
  private broker?: ServiceBroker;
  private answers: { action: string; when: (params: Record<string, unknown>) => boolean; settle: () => unknown }[] = [];
  readonly asked: Asked[] = [];
  /** Who the session cookie stands for (what users.resolveToken answers by default). */
  signedIn: Caller | null = null;

  async start(): Promise<void> {
    const stubs: ServiceSchema[] = Object.entries(PROVIDERS).map(([service, actions]) => ({
      name: service,
      actions: Object.fromEntries(
        actions.map((name) => [
          name,
          (ctx: Context<Record<string, unknown>, RequestMeta>) => {
            const action = `${service}.${name}`;
            this.asked.push({ action, params: ctx.params, meta: ctx.meta });
            return this.answerOf(action, ctx.params);
          },
        ]),
      ),
    }));
    this.broker = await localBroker(["web"], stubs);
  }

  stop(): Promise<void> {
    return this.broker?.stop() ?? Promise.resolve();
  }

  /** The interaction under test: `action` (asked with params `when` accepts) answers as the pact says. */
  answer<R>(
    action: string,
    answer: ActionAnswer<R>,
    when: (params: Record<string, unknown>) => boolean = () => true,
  ): void {
    this.answers.push({ action, when, settle: () => settle(answer) });
  }

  reset(): void {
    this.answers = [];
    this.asked.length = 0;
    this.signedIn = null;
  }

  /** The calls the page made to `action`. */
  calls(action: string): Asked[] {
    return this.asked.filter((a) => a.action === action);
  }

  private answerOf(action: string, params: Record<string, unknown>): unknown {
    const answer = this.answers.find((a) => a.action === action && a.when(params));
    if (answer) return answer.settle();
    switch (action) {
      case "users.resolveToken":
        return this.signedIn;
      case "cart.get":
        return { items: [], totalCents: 0, currency: "EUR" };
      case "catalog.list":
        return EMPTY_PAGE;
      case "catalog.recommended":
        return { rows: [] };
      default:
        throw new Error(`No answer for ${action} in this test`);
    }
  }

  /** A GET of a page (or a form post with `post`), as the gateway's page route calls it. */
  async request(
    action: string,
    params: Record<string, unknown>,
    { url = "/", post = false, cookie: extra }: { url?: string; post?: boolean; cookie?: string } = {},
  ): Promise<PageAnswer> {
    if (!this.broker) throw new Error("start() first");
    const key = (this.broker.getLocalService("web") as unknown as { csrfKey: Buffer }).csrfKey;
    const nonce = "pact-nonce-0123456789";
    const cookie = [`${CSRF_COOKIE}=${nonce}`, this.signedIn && `${SESSION_COOKIE}=pact-session`, extra]
      .filter(Boolean)
      .join("; ");
    const http: WebRequestInfo = { method: post ? "POST" : "GET", url, host: HOST, cookie, origin: `https://${HOST}` };
    const meta: Record<string, unknown> = { user: null, http };
    const body = (await this.broker.call(action, post ? { ...params, _csrf: csrfToken(key, nonce) } : params, {
      meta,
    })) as string | null;
    const headers = (meta.$responseHeaders ?? {}) as Record<string, string | string[]>;
    const setCookie = headers["Set-Cookie"] ?? [];
    return {
      status: meta.$statusCode as number,
      body: body ?? "",
      location: meta.$location as string | undefined,
      cookies: Array.isArray(setCookie) ? setCookie : [setCookie],
    };
  }
}
