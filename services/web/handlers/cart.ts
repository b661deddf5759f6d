import { call } from "../../../contracts";
import { cartView } from "../pages/cart";
import { badRequestView } from "../pages/errors";
import { requireUser, type Reply, type WebRequest } from "../request";

/** 1..99, as the cart accepts; anything else is null. */
export function parseQuantity(text: string | undefined): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 99 ? n : null;
}

const NOTICES: Record<string, { kind: "ok" | "error" | "info"; text: string }> = {
  updated: { kind: "ok", text: "Your cart was updated." },
  removed: { kind: "ok", text: "The item was removed from your cart." },
  unavailable: { kind: "error", text: "That product is no longer on sale." },
  empty: { kind: "info", text: "Your cart is empty, so there is nothing to check out." },
};

export async function cartPage(req: WebRequest<Record<string, never>>): Promise<Reply> {
  requireUser(req);
  const cart = await call(req.ctx, "cart.get", {});
  const notice = NOTICES[new URL(req.url, "http://x").searchParams.get("notice") ?? ""];
  return { view: cartView(req.chrome, cart, notice) };
}

export async function addToCart(req: WebRequest<{ productId: string; quantity?: string }>): Promise<Reply> {
  const { productId } = req.params;
  if (!req.user) return { redirect: `/login?next=${encodeURIComponent(`/products/${productId}`)}` };
  const quantity = parseQuantity(req.params.quantity);
  if (quantity === null) return { view: badRequestView() };
  const cart = await call(req.ctx, "cart.get", {});
  const current = cart.items.find((l) => l.productId === productId)?.quantity ?? 0;
  try {
    await call(req.ctx, "cart.setItem", { productId, quantity: Math.min(99, current + quantity) });
  } catch (err) {
    if ((err as { code?: number }).code === 422) return { redirect: "/cart?notice=unavailable" };
    throw err;
  }
  return { redirect: `/products/${encodeURIComponent(productId)}?added=${quantity}` };
}

export async function setCartItem(req: WebRequest<{ productId: string; quantity?: string }>): Promise<Reply> {
  requireUser(req);
  const quantity = parseQuantity(req.params.quantity);
  if (quantity === null) return { view: badRequestView() };
  try {
    await call(req.ctx, "cart.setItem", { productId: req.params.productId, quantity });
  } catch (err) {
    if ((err as { code?: number }).code === 422) return { redirect: "/cart?notice=unavailable" };
    throw err;
  }
  return { redirect: "/cart?notice=updated" };
}

export async function removeCartItem(req: WebRequest<{ productId: string }>): Promise<Reply> {
  requireUser(req);
  await call(req.ctx, "cart.removeItem", { productId: req.params.productId });
  return { redirect: "/cart?notice=removed" };
}
