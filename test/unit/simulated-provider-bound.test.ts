import { SIMULATED_LEDGER_SIZE, SimulatedProvider } from "../../services/payments/domain/simulated-provider";

/** The simulated provider keeps a bounded ledger: one entry per order would otherwise grow forever. */

const card = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2040, cvc: "123" };
const charge = (provider: SimulatedProvider, key: string) =>
  provider.charge({ idempotencyKey: key, amountCents: 100, currency: "EUR", card });

it("holds at most its bound however many orders are charged; the oldest go first", async () => {
  const provider = new SimulatedProvider(100);
  for (let i = 0; i < 1_000; i++) await charge(provider, `order-${i}`);
  expect(provider.size).toBe(100);
  expect(provider.capturedCents("order-0")).toBe(0);
  expect(provider.capturedCents("order-999")).toBe(100);
  expect(provider.approvedCount()).toBe(100);
});

it("a recent key is still charged once", async () => {
  const provider = new SimulatedProvider(10);
  const first = await charge(provider, "again");
  for (let i = 0; i < 5; i++) await charge(provider, `other-${i}`);
  expect(await charge(provider, "again")).toEqual(first);
  expect(provider.size).toBe(6);
});

it("the default bound is what the payments service uses", async () => {
  const provider = new SimulatedProvider();
  for (let i = 0; i < SIMULATED_LEDGER_SIZE + 50; i++) await charge(provider, `k-${i}`);
  expect(provider.size).toBe(SIMULATED_LEDGER_SIZE);
});
