import { luhnValid } from "../core/luhn";
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

export function redactSecrets(text: string): string {
  return text
    .replace(SECRET_KEY, "$1$2[REDACTED]")
    .replace(BEARER, "Bearer [REDACTED]")
    .replace(JWT, "[REDACTED]")
    .replace(DIGIT_RUN, (run) => (luhnValid(run.replace(/\D/g, "")) ? "[REDACTED]" : run));
}
