import { idRule } from "../platform/core/ids";
import { action, contract, type RuleType } from "../platform/contracts/define";

/**
 * The recommendations service is written in Go (services/recommendations,
 * a Moleculer node of its own): this contract is the callers' side. The Go
 * handler validates the same rules (services/recommendations/internal/domain/params.go)
 * and answers a 422 in Moleculer's shape otherwise.
 */
export const MAX_RECOMMENDATIONS = 8;

const recommendation = {
  type: "object",
  strict: true,
  props: {
    productId: idRule,
    /** Product ids bought together with it, most often first. */
    productIds: { type: "array", items: idRule, max: MAX_RECOMMENDATIONS },
    /** "orders": learned from confirmed orders; "category": nothing learned yet, same-category products. */
    basis: { type: "enum", values: ["orders", "category"] },
    /** The Go node that answered. */
    nodeID: { type: "string", min: 1 },
  },
} as const;
export type Recommendation = RuleType<typeof recommendation>;

export const recommendationsContract = contract(
  "recommendations",
  {
    /** Internal: the products bought together with one (limit 1..8, default 4). */
    forProduct: action(
      {
        $$strict: "remove",
        productId: idRule,
        limit: { type: "number", integer: true, min: 1, max: MAX_RECOMMENDATIONS, convert: true, optional: true },
      },
      recommendation,
    ),
  },
  { dependsOn: { catalog: "hard" } },
);
