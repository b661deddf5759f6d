import type { RouteStats } from "./load-spec";

/** One row of bench/results/latest.json (the issue's shape, plus context). */
export interface ScenarioResult {
  id: string;
  title: string;
  reqPerSec: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  p999Ms: number | null;
  /** Connection errors and timeouts. */
  errors: number | null;
  /** Answers outside 2xx (a failed checkout, a 5xx, a 429). */
  non2xx: number | null;
  /** The scenario the ratio is taken against (C1, C2, or S5-1 for the scaling ratio). */
  ceiling: string | null;
  ratioToCeiling: number | null;
  connections?: number;
  /** req/s of the same generator, settings and script against C1's bare server: what the generator alone reaches. */
  generatorReqPerSec?: number;
  target?: { text: string; met: boolean | null };
  /** Set when the scenario could not run; the reason. */
  skipped?: string;
  routes?: Record<string, RouteStats>;
  startupMs?: Record<string, number>;
  rssMb?: Record<string, number | null>;
  /** S2-stale: ms from a write's answer on one gateway until another serves the new value. */
  staleMs?: { writes: number; p50: number; p99: number; max: number };
  /**
   * S1-nometrics: metrics on against off in alternating slices; the cost is
   * 1 − (CPU per request off ÷ on), the median of the per-round ratios.
   */
  metricsCost?: {
    rounds: number;
    sliceSec: number;
    cpuUsPerReqOn: number;
    cpuUsPerReqOff: number;
    cpuShare: number;
    reqPerSecOn: number;
    reqPerSecOff: number;
    reqPerSecShare: number;
    errors: number;
  };
  note?: string;
}

export interface BenchReport {
  machine: {
    cpus: number;
    cpuModel: string;
    memGb: number;
    os: string;
    loadAvgAtStart: number[];
    /** Other jobs on a shared machine move every number: the load average when the run ended. */
    loadAvgAtEnd?: number[];
  };
  node: string;
  date: string;
  mode: "full" | "quick" | "custom";
  durationSec: number;
  /** Settings given to every Agora node with --env (A/B runs). */
  env?: Record<string, string>;
  scenarios: ScenarioResult[];
}

const fmt = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined ? "–" : v.toLocaleString("en-US", { maximumFractionDigits: digits });

export function markdownTable(report: BenchReport): string {
  const lines = [
    `Measured ${report.date} on ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memGb} GB, ` +
      `${report.machine.os}, Node ${report.node}; load average at start ${report.machine.loadAvgAtStart.join(" ")}` +
      (report.machine.loadAvgAtEnd ? `, at end ${report.machine.loadAvgAtEnd.join(" ")}` : "") +
      "; " +
      `${report.durationSec} s per scenario (${report.mode}). Load generator wrk 4.1 on the same machine; "wrk alone" is what it reaches with the same settings against C1's bare server.` +
      (report.env
        ? ` Agora nodes ran with ${Object.entries(report.env)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ")}.`
        : ""),
    "",
    "| id | scenario | req/s | p50 ms | p99 ms | p99.9 ms | errors | non-2xx | wrk alone | ceiling | ratio | target | met |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | --- |",
  ];
  for (const s of report.scenarios) {
    const met = s.target?.met === true ? "yes" : s.target?.met === false ? "**no**" : "–";
    if (s.skipped) {
      lines.push(`| ${s.id} | ${s.title} | skipped: ${s.skipped} | | | | | | | | | ${s.target?.text ?? ""} | – |`);
      continue;
    }
    lines.push(
      `| ${s.id} | ${s.title} | ${fmt(s.reqPerSec)} | ${fmt(s.p50Ms, 2)} | ${fmt(s.p99Ms, 2)} | ${fmt(s.p999Ms, 2)} | ` +
        `${fmt(s.errors)} | ${fmt(s.non2xx)} | ${fmt(s.generatorReqPerSec)} | ${s.ceiling ?? "–"} | ${fmt(s.ratioToCeiling, 2)} | ` +
        `${s.target?.text ?? ""} | ${met} |`,
    );
  }
  const details = report.scenarios.filter(
    (s) => !s.skipped && (s.startupMs || s.rssMb || s.note || Object.keys(s.routes ?? {}).length > 1),
  );
  for (const s of details) {
    lines.push("", `**${s.id}** ${s.title}`);
    if (s.note) lines.push("", s.note);
    if (s.startupMs) {
      lines.push("", "| node | start → ready ms |", "| --- | ---: |");
      for (const [k, v] of Object.entries(s.startupMs)) lines.push(`| ${k} | ${fmt(v)} |`);
    }
    if (s.rssMb) {
      lines.push("", "| node | RSS MB after warm-up |", "| --- | ---: |");
      for (const [k, v] of Object.entries(s.rssMb)) lines.push(`| ${k} | ${fmt(v, 1)} |`);
    }
    if (s.routes && Object.keys(s.routes).length > 1) {
      lines.push(
        "",
        "| route | req/s | p50 ms | p99 ms | p99.9 ms | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
      );
      for (const [k, r] of Object.entries(s.routes)) {
        lines.push(
          `| ${k} | ${fmt(r.reqPerSec)} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${fmt(r.p999Ms, 2)} | ${r.non2xx} |`,
        );
      }
    }
  }
  return lines.join("\n") + "\n";
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Two horizontal bar panels, req/s and p99 per scenario, on log scales (the
 * values span from tens of logins to tens of thousands of reads per second).
 */
export function svgChart(report: BenchReport): string {
  const rows = report.scenarios.filter((s) => !s.skipped && s.reqPerSec !== null);
  const rowH = 22;
  const top = 56;
  const labelW = 150;
  const panelW = 330;
  const gap = 70;
  const width = labelW + panelW * 2 + gap + 40;
  const height = top + rows.length * rowH + 40;
  const logScale = (max: number) => {
    const hi = Math.log10(Math.max(10, max) * 1.5);
    return (v: number) => (v <= 1 ? 0 : (Math.log10(v) / hi) * panelW);
  };
  const reqScale = logScale(Math.max(...rows.map((r) => r.reqPerSec ?? 0)));
  const p99Scale = logScale(Math.max(...rows.map((r) => r.p99Ms ?? 0)));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">Agora benchmarks: ${esc(report.date.slice(0, 16))}, ` +
      `${report.machine.cpus} cores, Node ${esc(report.node)}</text>`,
    `<text x="${labelW}" y="44" font-weight="bold">requests per second (log scale)</text>`,
    `<text x="${labelW + panelW + gap}" y="44" font-weight="bold">p99 latency, ms (log scale)</text>`,
  ];
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const ceiling = r.id.startsWith("C");
    out.push(`<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${esc(r.id)}</text>`);
    const w1 = Math.max(1, reqScale(r.reqPerSec ?? 0));
    out.push(
      `<rect x="${labelW}" y="${y + 3}" width="${w1.toFixed(1)}" height="${rowH - 6}" fill="${ceiling ? "#9aa5b1" : "#2f6fb0"}"/>`,
      `<text x="${labelW + w1 + 4}" y="${y + 14}">${fmt(r.reqPerSec)}</text>`,
    );
    const x2 = labelW + panelW + gap;
    const w2 = Math.max(1, p99Scale(r.p99Ms ?? 0));
    out.push(
      `<rect x="${x2}" y="${y + 3}" width="${w2.toFixed(1)}" height="${rowH - 6}" fill="${ceiling ? "#9aa5b1" : "#c0612b"}"/>`,
      `<text x="${x2 + w2 + 4}" y="${y + 14}">${fmt(r.p99Ms, 1)}</text>`,
    );
  });
  out.push(
    `<text x="10" y="${height - 12}" fill="#555">grey: ceilings C1 (bare node:http) and C2 (node:http + raw NATS hop); ` +
      `same run, same machine, load generator included</text>`,
    "</svg>",
  );
  return out.join("\n") + "\n";
}
