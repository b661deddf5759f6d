import fs from "node:fs";
import path from "node:path";
import { METRIC } from "moleculer";
import { parse } from "yaml";

/**
 * The compose stack's Prometheus scrapes every Agora service on its metrics
 * port, and the Grafana dashboard only queries metrics that exist.
 */
const DOCKER = path.resolve(__dirname, "../../docker");
const read = (file: string) => fs.readFileSync(path.join(DOCKER, file), "utf8");

interface Compose {
  services: Record<string, { environment?: Record<string, string>; image?: string; volumes?: string[] }>;
}

describe("docker/ observability config", () => {
  const compose = parse(read("docker-compose.yml"), { merge: true }) as Compose;
  const agoraServices = Object.entries(compose.services)
    .filter(([, s]) => s.environment?.SERVICES)
    .map(([name]) => name);

  it("Prometheus scrapes every Agora service of the compose file on METRICS_PORT", () => {
    const prometheus = parse(read("prometheus.yml")) as {
      scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; port: number }[] }[];
    };
    const job = prometheus.scrape_configs.find((j) => j.job_name === "agora")!;
    const sd = job.dns_sd_configs![0];
    expect(agoraServices.length).toBeGreaterThanOrEqual(8);
    expect([...sd.names].sort()).toEqual([...agoraServices].sort());
    expect(String(sd.port)).toBe(read("agora.env").match(/^METRICS_PORT=(\d+)/m)![1]);
    expect(compose.services.prometheus.volumes).toContain("./prometheus.yml:/etc/prometheus/prometheus.yml:ro");
  });

  it("the Grafana dashboard queries the business metrics platform/observability/business-metrics.ts defines", () => {
    const dashboard = JSON.parse(read("grafana/dashboards/agora-overview.json")) as {
      panels: { targets: { expr: string }[] }[];
    };
    const source = fs.readFileSync(path.resolve(__dirname, "../../platform/observability/business-metrics.ts"), "utf8");
    const defined = new Set(source.match(/agora_[a-z_]+/g));
    // The readiness gauge is the platform's, not a business metric; the dashboard may show it too.
    const readiness = fs.readFileSync(
      path.resolve(__dirname, "../../platform/observability/readiness-metric.ts"),
      "utf8",
    );
    const platform = new Set(readiness.match(/agora_[a-z_]+/g));
    const queried = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/agora_[a-z_]+/g) ?? []));
    expect(queried.length).toBeGreaterThan(0);
    for (const name of queried.filter((q) => !platform.has(q)))
      expect(defined).toContain(name.replace(/_(bucket|sum|count)$/, ""));
    expect(queried).toContain("agora_node_ready");
    for (const name of defined) expect(queried.map((q) => q.replace(/_(bucket|sum|count)$/, ""))).toContain(name);
  });
});

describe("docker/ alerting rules", () => {
  const compose = parse(read("docker-compose.yml"), { merge: true }) as Compose;
  const rules = parse(read("alerts.yml")) as {
    groups: { rules: { alert?: string; record?: string; expr: string }[] }[];
  };
  const alerts = rules.groups.flatMap((g) => g.rules.filter((r) => r.alert));
  const unitTests = parse(fs.readFileSync(path.resolve(__dirname, "../alerts/alerts.test.yml"), "utf8")) as {
    tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
  };

  it("ship with the stack: prometheus.yml loads alerts.yml, which compose mounts beside it", () => {
    const prometheus = parse(read("prometheus.yml")) as { rule_files: string[] };
    expect(prometheus.rule_files).toEqual(["alerts.yml"]);
    expect(compose.services.prometheus.volumes).toContain("./alerts.yml:/etc/prometheus/alerts.yml:ro");
  });

  it("cover what issue #24 asks, and each alert has a case that fires it and one that does not", () => {
    const names = alerts.map((a) => a.alert!);
    for (const name of [
      "CheckoutErrorBudgetBurnFast",
      "CheckoutErrorBudgetBurnSlow",
      "CheckoutLatencyBudgetBurnFast",
      "CheckoutLatencyBudgetBurnSlow",
      "CircuitBreakerOpen",
      "NodeDown",
      "OutboxBacklog",
      "MemoryGrowth",
      "ReadinessFailing",
    ])
      expect(names).toContain(name);
    const cases = unitTests.tests.flatMap((t) => t.alert_rule_test);
    for (const name of names) {
      expect([name, cases.some((c) => c.alertname === name && c.exp_alerts.length > 0)]).toEqual([name, true]);
      expect([name, cases.some((c) => c.alertname === name && c.exp_alerts.length === 0)]).toEqual([name, true]);
    }
  });

  it("query only metrics the nodes export", () => {
    const root = path.resolve(__dirname, "../..");
    const src = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
    // Agora's own, and Moleculer's by their names in its METRIC constants (the reporter turns . and - into _).
    const agora = new Set([
      ...(src("platform/observability/business-metrics.ts").match(/agora_[a-z_]+/g) ?? []),
      ...(src("platform/observability/readiness-metric.ts").match(/agora_[a-z_]+/g) ?? []),
    ]);
    const moleculer = new Set(
      Object.values(METRIC as Record<string, string>).map((name) => name.replace(/[.-]/g, "_")),
    );
    const exprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr)).join("\n");
    const used = [...new Set(exprs.match(/\b(agora|moleculer|process)_[a-z_]+/g))];
    expect(used.length).toBeGreaterThan(5);
    for (const name of used) {
      const base = name.replace(/_(bucket|sum|count)$/, "");
      expect([name, agora.has(base) || moleculer.has(base)]).toEqual([name, true]);
    }
  });
});
