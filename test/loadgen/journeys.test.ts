import { startAgoraNode, stopAll, type AgoraNode } from "../helpers/processes";
import { loadgen } from "./run-loadgen";

/**
 * The shopper journeys through a real Agora node (every service, the
 * storefront included) at a modest rate: every step of every journey answers
 * 2xx, each step has its latency histogram, and the checkouts really happened.
 */
describe("loadgen: shopper journeys against a real Agora gateway", () => {
  let node: AgoraNode;

  beforeAll(async () => {
    node = await startAgoraNode({
      services: ["api", "web", "users", "catalog", "inventory", "cart", "orders", "payments", "notifications"],
      env: {
        JWT_SECRET: "loadgen-test-secret-loadgen-test-secret-01",
        // Every checkout journey registers and logs in: more than the default 10 a minute per address.
        AUTH_RATE_LIMIT: "100000",
        INVENTORY_INITIAL_STOCK: "100000",
      },
    });
  }, 90_000);
  afterAll(stopAll);

  it("runs the shop mix at 5 journeys/s for 5 s with no error", async () => {
    const { report } = await loadgen(["--target", node.url, "--rate", "5", "--duration", "5s", "--journey", "mix"]);
    expect(report.journeys).toEqual({ started: 25, ok: 25, failed: 0 });
    expect(report.errors).toBe(0);
    expect(report.errorsByStatus).toEqual({});
    // Of 25 arrivals the mix makes 15 browse, 5 get and 5 checkout journeys.
    const counts = Object.fromEntries(Object.entries(report.steps).map(([name, s]) => [name, s.count]));
    expect(counts).toEqual({
      "page.catalog": 15,
      list: 15,
      search: 15,
      product: 20,
      recommendations: 15,
      "page.product": 15,
      register: 5,
      login: 5,
      "cart.add": 5,
      cart: 5,
      checkout: 5,
      orders: 5,
    });
    for (const s of Object.values(report.steps)) {
      expect(s.p50).toBeGreaterThan(0);
      expect(s.p999).toBeGreaterThanOrEqual(s.p99);
      expect(s.p99).toBeGreaterThanOrEqual(s.p50);
    }
    expect(report.requests).toBe(15 * 6 + 5 + 5 * 6);
  }, 120_000);
});
