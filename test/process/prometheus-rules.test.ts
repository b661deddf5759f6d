import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eventually, freePort, startAgoraNode, startProcess, stopAll, type AgoraNode } from "../helpers/processes";
import { loadgen } from "../loadgen/run-loadgen";

/**
 * docker/alerts.yml evaluated by a real Prometheus (Debian's, the one the local
 * Compose stack runs) scraping a real node under checkouts: every rule loads
 * and evaluates without error, the SLO ratios come out of the node's real
 * series (so the rules' metric names and labels are the ones nodes export),
 * and a healthy shop fires nothing. Which alert fires on which data is
 * promtool's part (test/alerts/alerts.test.yml).
 */
const ROOT = path.resolve(__dirname, "../..");

describe("the alerting rules on a real Prometheus", () => {
  let node: AgoraNode;
  let prometheus: string;
  let dir: string;

  beforeAll(async () => {
    node = await startAgoraNode({
      services: ["api", "web", "users", "catalog", "inventory", "cart", "orders", "payments", "notifications"],
      env: {
        JWT_SECRET: "prometheus-rules-test-secret-0123456789ab",
        AUTH_RATE_LIMIT: "100000",
        INVENTORY_INITIAL_STOCK: "100000",
      },
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "prometheus-"));
    const target = new URL(node.metricsUrl).host;
    // The compose stack's config with a static target instead of Docker's DNS, and scraped every second.
    fs.writeFileSync(
      path.join(dir, "prometheus.yml"),
      [
        "global: { scrape_interval: 1s, evaluation_interval: 1s }",
        `rule_files: ["${path.join(ROOT, "docker/alerts.yml")}"]`,
        "scrape_configs:",
        "  - job_name: agora",
        `    static_configs: [{ targets: ["${target}"], labels: { service: shop } }]`,
      ].join("\n"),
    );
    const port = await freePort();
    prometheus = `http://127.0.0.1:${port}`;
    const proc = startProcess("prometheus", [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    await proc.waitFor(/Server is ready to receive web requests/, 60_000);
  }, 120_000);
  afterAll(async () => {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const query = async (q: string) => {
    const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await res.json()) as {
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    return body.data.result;
  };

  it("loads every rule, computes the checkout SLO ratios from the node's series, and fires nothing", async () => {
    // A rate needs a sample of the checkout series from before the measured checkouts: a node creates the
    // series at its first checkout, and a series first scraped after every checkout is flat (its ratios 0/0,
    // NaN: seen once on a fast cold run). So one checkout first, and Prometheus has scraped it.
    const warmUp = await loadgen(["--target", node.url, "--rate", "1", "--duration", "1s", "--journey", "checkout"]);
    expect(warmUp.report.errors).toBe(0);
    await eventually(async () => (await query('moleculer_request_total{action="orders.checkout"}')).length > 0, 60_000);
    const { report } = await loadgen([
      "--target",
      node.url,
      "--rate",
      "2",
      "--duration",
      "5s",
      "--journey",
      "checkout",
    ]);
    expect(report.errors).toBe(0);

    // The ratios need two scrapes that saw the checkouts.
    const errors = await eventually(async () => {
      const r = await query("agora:checkout_errors:ratio_rate5m");
      return r.length === 1 && !Number.isNaN(Number(r[0].value[1])) ? r : null;
    }, 60_000);
    expect(Number(errors[0].value[1])).toBe(0);
    const slow = await eventually(async () => {
      const r = await query("agora:checkout_slow:ratio_rate5m");
      return r.length === 1 && !Number.isNaN(Number(r[0].value[1])) ? r : null;
    }, 60_000);
    expect(Number(slow[0].value[1])).toBeGreaterThanOrEqual(0);
    expect(await query('agora_node_ready{job="agora"} == 1')).toHaveLength(1);
    expect(await query('up{job="agora"} == 1')).toHaveLength(1);

    const rules = (await (await fetch(`${prometheus}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string; type: string; health: string; state?: string }[] }[] };
    };
    const all = rules.data.groups.flatMap((g) => g.rules);
    expect(all.filter((r) => r.type === "alerting").map((r) => r.name)).toHaveLength(9);
    expect(all.filter((r) => r.health !== "ok")).toEqual([]);
    // How many checkouts took over 1 s depends on this shared machine, not on the rules: a latency alert
    // may be pending only when the slow ratio Prometheus computed is over that alert's burn threshold.
    const slowRatio = Number(slow[0].value[1]);
    const mayBePending = [
      ...(slowRatio > 14.4 * 0.01 ? ["CheckoutLatencyBudgetBurnFast"] : []),
      ...(slowRatio > 6 * 0.01 ? ["CheckoutLatencyBudgetBurnSlow"] : []),
    ];
    const active = all.filter((r) => r.type === "alerting" && r.state !== "inactive").map((r) => r.name);
    expect(active.filter((name) => !mayBePending.includes(name))).toEqual([]);
  }, 180_000);
});
