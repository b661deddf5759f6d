import { NedbAdapter } from "../../platform/store/nedb-adapter";
import type { Card } from "../../contracts";
import {
  CardRefused,
  PaymentDeclined,
  PaymentLedger,
  PaymentVoided,
} from "../../services/payments/domain/payment-ledger";
import type { ChargeRequest, DeclineCode } from "../../services/payments/domain/payment-provider";
import { SimulatedProvider } from "../../services/payments/domain/simulated-provider";
import { PaymentsStore } from "../../services/payments/store";

/** The payment state machine over a real NeDB store in memory, without a broker. */
describe("payment ledger (NeDB in memory, no broker)", () => {
  const card = (cardNumber: string, extra: Partial<Card> = {}): Card => ({
    cardNumber,
    expMonth: 12,
    expYear: 2099,
    cvc: "737",
    ...extra,
  });

  async function open(provider = new SimulatedProvider()) {
    const adapter = new NedbAdapter();
    adapter.init({} as never, {} as never);
    await adapter.connect();
    const store = new PaymentsStore(adapter);
    const declines: DeclineCode[] = [];
    const ledger = new PaymentLedger(store, provider, (code) => declines.push(code));
    return { store, provider, ledger, declines };
  }
  const charge = (ledger: PaymentLedger, orderId: string, c: unknown, amountCents = 2500) =>
    ledger.charge({ orderId, amountCents, currency: "EUR", card: c });

  it("charges once per order and keeps only brand and last4", async () => {
    const { store, provider, ledger } = await open();
    const first = await charge(ledger, "o1", card("4242 4242 4242 4242"));
    expect(first).toMatchObject({ orderId: "o1", status: "CHARGED", brand: "visa", last4: "4242" });
    const repeats = await Promise.all([charge(ledger, "o1", card("4242424242424242"), 999), ledger.get("o1")]);
    expect(repeats).toEqual([first, first]);
    expect(provider.approvedCount()).toBe(1);
    expect(provider.capturedCents("o1")).toBe(2500);
    const stored = JSON.stringify(await store.get("o1"));
    expect(stored).not.toContain("4242424242424242");
    expect(stored).not.toContain("737");
  });

  it("remembers a decline, reports it once, and refunds nothing", async () => {
    const { ledger, declines } = await open();
    await expect(charge(ledger, "o2", card("4000000000009995"))).rejects.toEqual(
      new PaymentDeclined("o2", "INSUFFICIENT_FUNDS"),
    );
    const again = await charge(ledger, "o2", card("4242424242424242")).catch((err: unknown) => err);
    expect(again).toMatchObject({ orderId: "o2", code: "INSUFFICIENT_FUNDS" });
    expect(declines).toEqual(["INSUFFICIENT_FUNDS"]);
    expect(await ledger.get("o2")).toBeNull();
    expect(await ledger.refund("o2")).toBeNull();
  });

  it("refuses a bad card before claiming the order", async () => {
    const { store, ledger } = await open();
    const err = await charge(ledger, "o3", card("4242424242424242", { expYear: 2001 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CardRefused);
    expect(err).toMatchObject({ expired: true });
    await expect(charge(ledger, "o3", "4242424242424242")).rejects.toMatchObject({ expired: false });
    expect(await store.get("o3")).toBeNull();
  });

  it("refund is idempotent and a refunded order is never charged again", async () => {
    const { provider, ledger } = await open();
    await charge(ledger, "o4", card("5555555555554444"));
    const refunded = await ledger.refund("o4");
    expect(refunded).toMatchObject({ status: "REFUNDED", brand: "mastercard" });
    expect(await ledger.refund("o4")).toEqual(refunded);
    expect(await charge(ledger, "o4", card("5555555555554444"))).toEqual(refunded);
    expect(provider.capturedCents("o4")).toBe(0);
  });

  it("a refund before any charge voids the order: a late charge is refused", async () => {
    const { provider, ledger } = await open();
    expect(await ledger.refund("o5")).toBeNull();
    await expect(charge(ledger, "o5", card("4242424242424242"))).rejects.toEqual(new PaymentVoided("o5"));
    expect(provider.approvedCount()).toBe(0);
  });

  it("a PENDING record left by a crash is finished by a repeat without a second charge", async () => {
    const { store, provider, ledger } = await open();
    await provider.charge({ idempotencyKey: "o6", amountCents: 2500, currency: "EUR", card: card("4242424242424242") });
    const at = new Date().toISOString();
    const pending = { orderId: "o6", state: "PENDING" as const, amountCents: 2500, currency: "EUR", brand: "visa" };
    await store.insert({ _id: "o6", ...pending, last4: "4242", createdAt: at, updatedAt: at });
    expect((await ledger.get("o6"))?.status).toBe("PENDING");
    expect((await charge(ledger, "o6", card("4242424242424242"))).status).toBe("CHARGED");
    expect(provider.approvedCount()).toBe(1);
  });

  it("a refund that lands while the provider is still charging returns that charge", async () => {
    let proceed: () => void = () => {};
    const gate = new Promise<void>((resolve) => (proceed = resolve));
    class SlowProvider extends SimulatedProvider {
      override async charge(request: ChargeRequest) {
        await gate;
        return super.charge(request);
      }
    }
    const { store, provider, ledger } = await open(new SlowProvider());
    const charging = charge(ledger, "o7", card("4242424242424242"));
    // Wait until the charge has claimed the order, then refund mid-flight.
    while (!(await store.get("o7"))) await new Promise((r) => setImmediate(r));
    expect((await ledger.refund("o7"))?.status).toBe("REFUNDED");
    proceed();
    expect((await charging).status).toBe("REFUNDED");
    expect(provider.capturedCents("o7")).toBe(0);
  });
});
