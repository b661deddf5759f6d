import { call } from "../../../contracts";
import { retryAfterUnavailable } from "../../../platform/gateway/unavailable";
import { CHECKOUT_COOKIE } from "../domain/cookies";
import { checkoutOutcome, newAttemptKey, parseCard, validAttemptKey } from "../domain/checkout";
import { checkoutView, type CheckoutProblem } from "../pages/checkout";
import { badRequestView } from "../pages/errors";
import { requireUser, type Reply, type WebRequest } from "../request";

/*
 * One checkout attempt = one Idempotency-Key. The key is made when the
 * checkout page is first shown and kept in a cookie scoped to /checkout until
 * the attempt ends, so the same attempt keeps its key across a double click
 * (both posts carry it), a reload of the page or of the post, and the back
 * button. The orders service answers every repeat of a key with the first
 * answer and charges once. A key whose attempt ended (confirmed, declined,
 * rejected) is replaced, so the next try is a new attempt.
 */

const COOKIE = { path: "/checkout", sameSite: "Strict" } as const;

function keepAttempt(req: WebRequest<unknown>, key: string): void {
  req.setCookie(CHECKOUT_COOKIE, key, COOKIE);
}

export async function checkoutPage(req: WebRequest<Record<string, never>>): Promise<Reply> {
  requireUser(req);
  const cart = await call(req.ctx, "cart.get", {});
  if (cart.items.length === 0) return { redirect: "/cart?notice=empty" };
  const existing = req.cookies[CHECKOUT_COOKIE];
  const key = validAttemptKey(existing) ? existing : newAttemptKey();
  keepAttempt(req, key);
  return { view: checkoutView(req.chrome, cart, key) };
}

type PlaceParams = { idempotencyKey?: string; cardNumber?: string; cardExpiry?: string; cardCvc?: string };

export async function placeOrder(req: WebRequest<PlaceParams>): Promise<Reply> {
  requireUser(req);
  const key = req.params.idempotencyKey;
  if (!validAttemptKey(key)) return { view: badRequestView() };
  const form = { cardNumber: req.params.cardNumber, cardExpiry: req.params.cardExpiry };
  const card = parseCard(req.params);
  if (!card.ok) {
    return retryPage(req, key, { message: "Please check the card details.", details: card.errors }, form, 422);
  }
  try {
    const order = await call(req.ctx, "orders.checkout", { payment: card.card }, { meta: { idempotencyKey: key } });
    req.setCookie(CHECKOUT_COOKIE, "", { ...COOKIE, maxAge: 0 });
    return { redirect: `/orders/${encodeURIComponent(order.id)}?placed=1` };
  } catch (err) {
    const outcome = checkoutOutcome(err, retryAfterUnavailable());
    switch (outcome.kind) {
      case "confirmed":
        return { redirect: `/orders/${encodeURIComponent(outcome.order.id)}?placed=1` };
      case "empty-cart":
        return { redirect: "/cart?notice=empty" };
      case "failed":
        // This attempt is over; the next press of "Place order" is a new one.
        return retryPage(req, newAttemptKey(), outcome, form, outcome.status);
      case "retry":
        return retryPage(req, key, outcome, form, outcome.status);
    }
  }
}

async function retryPage(
  req: WebRequest<unknown>,
  key: string,
  problem: CheckoutProblem,
  form: { cardNumber?: string; cardExpiry?: string },
  status: number,
): Promise<Reply> {
  keepAttempt(req, key);
  const cart = await call(req.ctx, "cart.get", {});
  // The card number is shown again only when the attempt did not reach the payment provider.
  const shown = status === 422 ? form : {};
  return { view: checkoutView(req.chrome, cart, key, problem, shown, status) };
}
