import {
  cardBrand,
  checkCard,
  isExpired,
  luhnValid,
  normalizeCardNumber,
} from "../../services/payments/domain/card.rules";
import { SimulatedProvider } from "../../services/payments/domain/simulated-provider";

describe("card rules", () => {
  it.each([
    "4242424242424242",
    "4000000000000002",
    "4000000000009995",
    "5555555555554444",
    "378282246310005",
    "6011111111111117",
  ])("Luhn accepts %s", (n) => expect(luhnValid(n)).toBe(true));

  it.each(["4242424242424241", "1234567812345678", "", "42424242a4242424"])("Luhn refuses %p", (n) =>
    expect(luhnValid(n)).toBe(false),
  );

  it.each([
    ["4242424242424242", "visa"],
    ["5555555555554444", "mastercard"],
    ["2223003122003222", "mastercard"],
    ["378282246310005", "amex"],
    ["6011111111111117", "discover"],
    ["9999999999999995", "unknown"],
  ])("brand of %s is %s", (n, brand) => expect(cardBrand(n)).toBe(brand));

  it("a card is valid through the end of its expiry month", () => {
    const now = new Date("2026-11-27T12:00:00Z");
    expect(isExpired(11, 2026, now)).toBe(false);
    expect(isExpired(12, 2026, now)).toBe(false);
    expect(isExpired(10, 2026, now)).toBe(true);
    expect(isExpired(12, 2025, now)).toBe(true);
    expect(isExpired(1, 2027, now)).toBe(false);
  });

  it("strips the spaces and dashes people type", () => {
    expect(normalizeCardNumber("4242 4242-4242 4242")).toBe("4242424242424242");
  });

  it("checkCard returns a normalized card, or problems that name fields but never values", () => {
    const now = new Date("2026-11-27T12:00:00Z");
    expect(checkCard({ cardNumber: "4242 4242 4242 4242", expMonth: 1, expYear: 2030, cvc: "123" }, now)).toEqual({
      card: { cardNumber: "4242424242424242", expMonth: 1, expYear: 2030, cvc: "123" },
    });
    const bad = checkCard(
      { cardNumber: "4242424242424241", expMonth: 0, expYear: "2030", cvc: "98765", pin: "1" },
      now,
    );
    expect("problems" in bad && bad.problems.map((p) => p.field).sort()).toEqual(
      ["card.cardNumber", "card.cvc", "card.expMonth", "card.expYear", "card.pin"].sort(),
    );
    expect(JSON.stringify(bad)).not.toMatch(/4242424242424241|98765/);
    expect(checkCard({ cardNumber: "4242424242424242", expMonth: 10, expYear: 2026, cvc: "123" }, now)).toEqual({
      problems: [{ field: "card.expYear", type: "CARD_EXPIRED", message: "The card has expired." }],
    });
    for (const input of [null, "4242424242424242", [], 42]) expect(checkCard(input, now)).toHaveProperty("problems");
  });
});

describe("simulated provider", () => {
  const card = (cardNumber: string) => ({ cardNumber, expMonth: 12, expYear: 2099, cvc: "123" });

  it("answers the test cards and dedupes by idempotency key", async () => {
    const provider = new SimulatedProvider();
    const ok = await provider.charge({
      idempotencyKey: "a",
      amountCents: 100,
      currency: "EUR",
      card: card("4242424242424242"),
    });
    expect(ok).toMatchObject({ approved: true });
    expect(
      await provider.charge({ idempotencyKey: "a", amountCents: 999, currency: "EUR", card: card("4242424242424242") }),
    ).toEqual(ok);
    expect(provider.approvedCount()).toBe(1);
    expect(provider.capturedCents("a")).toBe(100);
    expect(
      await provider.charge({ idempotencyKey: "b", amountCents: 1, currency: "EUR", card: card("4000000000000002") }),
    ).toEqual({
      approved: false,
      declineCode: "PAYMENT_DECLINED",
    });
    expect(
      await provider.charge({ idempotencyKey: "c", amountCents: 1, currency: "EUR", card: card("4000000000009995") }),
    ).toEqual({
      approved: false,
      declineCode: "INSUFFICIENT_FUNDS",
    });
    await provider.refund("a");
    await provider.refund("a");
    await provider.refund("unknown");
    expect(provider.capturedCents("a")).toBe(0);
  });
});
