import fs from "node:fs";
import path from "node:path";
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
    const queried = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/agora_[a-z_]+/g) ?? []));
    expect(queried.length).toBeGreaterThan(0);
    for (const name of queried) expect(defined).toContain(name.replace(/_(bucket|sum|count)$/, ""));
    for (const name of defined) expect(queried.map((q) => q.replace(/_(bucket|sum|count)$/, ""))).toContain(name);
  });
});
