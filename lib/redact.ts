/**
 * Last line of defence against secrets in log lines: services never log
 * passwords, tokens or card data on purpose, but an error message or an
 * object dumped while debugging could carry one. Applied to every log line.
 */

const SECRET_KEY =
  /(["']?(?:password|passwd|token|secret|cardNumber|card_number|cvc|cvv|authorization)["']?\s*[:=]\s*)(["']?)(?:Bearer\s+)?[^"',\s}\]]+/gi;
const BEARER = /\bBearer\s+[\w.~+/=-]+/gi;
const JWT = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]+/g;
const DIGIT_RUN = /\b\d(?:[ -]?\d){12,18}\b/g;

/** Luhn check: card numbers pass it, most other long digit runs do not. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function redactSecrets(text: string): string {
  return text
    .replace(SECRET_KEY, "$1$2[REDACTED]")
    .replace(BEARER, "Bearer [REDACTED]")
    .replace(JWT, "[REDACTED]")
    .replace(DIGIT_RUN, (run) => (passesLuhn(run.replace(/\D/g, "")) ? "[REDACTED]" : run));
}
