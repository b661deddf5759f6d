import { Errors } from "moleculer";
import type { Card, Cart, Payment, StockItem } from "../../contracts";
import type { CheckoutPorts } from "../../services/orders/domain/checkout.saga";
import type { OutboxEntry } from "../../services/orders/domain/order.rules";

/** Test cards, user and product of the fake shop. */
export const CARD: Card = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" };
export const DECLINED: Card = { ...CARD, cardNumber: "4000000000000002" };
export const USER = "aaaaaaaaaaaaaaaaaaaaaaaa";
export const P1 = "bbbbbbbbbbbbbbbbbbbbbbbb";

export class Crash extends Error {}

/** Inventory, payments and cart in a few maps, with the contracts' idempotency. */
export class FakeShop implements CheckoutPorts {
  available = 5;
  reservations = new Map<string, { qty: number; state: "RESERVED" | "RELEASED" | "COMMITTED" }>();
  payments = new Map<string, Payment["status"] | "VOIDED">();
  cart: Cart = {
    items: [{ productId: P1, name: "Mug", quantity: 2, unitPriceCents: 1400 }],
    totalCents: 2800,
    currency: "EUR",
  };
  chargeCalls = 0;
  failCharge: Error | null = null;
  /** Runs inside charge(), before or after the provider records it (a slow call). */
  duringCharge: { when: "before" | "after"; run: () => Promise<unknown> } | null = null;
  announced: OutboxEntry[] = [];

  async cartSnapshot(): Promise<Cart> {
    return structuredClone(this.cart);
  }
  async reserve(orderId: string, items: StockItem[]) {
    if (this.reservations.has(orderId)) return;
    const qty = items.reduce((s, i) => s + i.quantity, 0);
    if (qty > this.available) throw new Errors.MoleculerClientError("Not enough stock", 409, "OUT_OF_STOCK");
    this.available -= qty;
    this.reservations.set(orderId, { qty, state: "RESERVED" });
  }
  async release(orderId: string) {
    const r = this.reservations.get(orderId);
    if (r?.state === "RESERVED") {
      this.available += r.qty;
      r.state = "RELEASED";
    }
  }
  async commit(orderId: string) {
    const r = this.reservations.get(orderId);
    if (!r) throw new Errors.MoleculerClientError("No reservation", 404, "NOT_FOUND");
    if (r.state === "RESERVED") r.state = "COMMITTED";
  }
  async charge(orderId: string, _amount: number, _currency: string, card: Card): Promise<Payment> {
    this.chargeCalls++;
    if (this.failCharge) throw this.failCharge;
    if (this.duringCharge?.when === "before") await this.duringCharge.run();
    const state = this.payments.get(orderId);
    if (state === "VOIDED") throw new Errors.MoleculerClientError("voided", 409, "PAYMENT_VOIDED");
    if (!state) {
      if (card.cardNumber === DECLINED.cardNumber) {
        throw new Errors.MoleculerClientError("The card was declined", 402, "PAYMENT_DECLINED");
      }
      this.payments.set(orderId, "CHARGED");
    }
    if (this.duringCharge?.when === "after") await this.duringCharge.run();
    return this.paymentOf(orderId) as Promise<Payment>;
  }
  async paymentOf(orderId: string): Promise<Payment | null> {
    const status = this.payments.get(orderId);
    if (!status || status === "VOIDED") return null;
    const t = new Date().toISOString();
    return {
      orderId,
      status,
      amountCents: 2800,
      currency: "EUR",
      brand: "visa",
      last4: "4242",
      createdAt: t,
      updatedAt: t,
    };
  }
  async refund(orderId: string) {
    const status = this.payments.get(orderId);
    if (status === "CHARGED") this.payments.set(orderId, "REFUNDED");
    if (!status) this.payments.set(orderId, "VOIDED");
  }
  emptyCartFailures = 0;
  async emptyCart() {
    if (this.emptyCartFailures > 0) {
      this.emptyCartFailures--;
      throw new Errors.MoleculerRetryableError("cart unavailable", 503, "SERVICE_UNAVAILABLE");
    }
    this.cart = { items: [], totalCents: 0, currency: "EUR" };
  }
  async announce(entry: OutboxEntry) {
    this.announced.push(entry);
  }

  reservedQty() {
    return [...this.reservations.values()].filter((r) => r.state === "RESERVED").reduce((s, r) => s + r.qty, 0);
  }
  committedQty() {
    return [...this.reservations.values()].filter((r) => r.state === "COMMITTED").reduce((s, r) => s + r.qty, 0);
  }
}
