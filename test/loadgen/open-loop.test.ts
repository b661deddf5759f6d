import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { startProcess, stopAll, type Proc } from "../helpers/processes";
import { loadgen, TSX } from "./run-loadgen";

/**
 * The load generator against servers that do nothing else: the bench's bare
 * node:http ceiling (C1), and a server that stalls once for 2 s. Asserts
 * counts and the shape of the latency data, never how fast the machine is.
 */

/** What discovery needs: GET /api/v1/products answers a list (C1 answers this body to every path). */
const LIST = { rows: [{ id: "p1", name: "Blue enamel mug", available: 5 }], total: 1 };

describe("loadgen: open loop at a fixed rate", () => {
  afterAll(stopAll);

  it("achieves the asked rate within 1 % against the C1 ceiling server and reports its own overhead", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "c1-"));
    const body = path.join(dir, "list.json");
    fs.writeFileSync(body, JSON.stringify(LIST));
    const c1: Proc = startProcess(process.execPath, [TSX, "bench/ceilings/c1-http.ts", body], { PORT: "0" });
    try {
      await c1.waitFor(/ready \d+/, 60_000);
      const port = /ready (\d+)/.exec(c1.output())![1];
      const { report, output } = await loadgen([
        "--target",
        `http://127.0.0.1:${port}`,
        "--rate",
        "100",
        "--duration",
        "10s",
        "--journey",
        "get",
      ]);
      expect(report.journeys.started).toBe(1000);
      expect(report.requests).toBe(1000);
      expect(report.errors).toBe(0);
      expect(Math.abs(report.achievedRate - 100) / 100).toBeLessThanOrEqual(0.01);
      expect(report.steps.product.count).toBe(1000);
      expect(report.overhead.cpuMs).toBeGreaterThan(0);
      expect(report.overhead.cpuUsPerRequest).toBeGreaterThan(0);
      // The live progress line and the table with the overhead, as a user sees them.
      expect(output).toMatch(/journeys \d+ \(\d+ in flight\)/);
      expect(output).toMatch(/µs CPU per request/);
      expect(output).toMatch(/^product\s+1000\s+0\s/m);
    } finally {
      await c1.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  describe("a server that stalls once for 2 s", () => {
    const STALL_MS = 2000;
    let server: http.Server;
    let url: string;
    let stallUntil = 0;
    let stalled = false;

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        const answer = () => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(LIST));
        };
        if (req.url!.startsWith("/api/v1/products/")) {
          // The 100th product read starts the stall: it and everything after it
          // waits until the 2 s are over.
          if (!stalled && ++reads === 100) {
            stalled = true;
            stallUntil = Date.now() + STALL_MS;
          }
          const wait = stallUntil - Date.now();
          if (wait > 0) return void setTimeout(answer, wait);
        }
        answer();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    let reads = 0;
    beforeEach(() => {
      reads = 0;
      stalled = false;
      stallUntil = 0;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const args = () => ["--target", url, "--rate", "50", "--duration", "10s", "--journey", "get"];

    it("open loop: every arrival the stall kept waiting counts, so p99 shows it", async () => {
      const { report } = await loadgen(args());
      const s = report.steps.product;
      expect(report.requests).toBe(500);
      expect(report.errors).toBe(0);
      // ~100 arrivals fall in the 2 s; half of them waited over 1 s: far more than 1 % of 500.
      expect(s.max).toBeGreaterThanOrEqual(STALL_MS * 0.99);
      expect(s.p99).toBeGreaterThanOrEqual(STALL_MS / 2);
      expect(s.p90).toBeGreaterThanOrEqual(STALL_MS / 10);
    }, 60_000);

    it("closed loop (--closed 1): the same stall is one slow request, hidden below p99", async () => {
      const { report } = await loadgen([...args(), "--closed", "1"]);
      const s = report.steps.product;
      expect(report.mode).toBe("closed");
      expect(report.requests).toBe(500);
      expect(report.errors).toBe(0);
      // The stalled request itself is seen...
      expect(s.max).toBeGreaterThanOrEqual(STALL_MS * 0.99);
      // ...but the arrivals it held back are sent late and timed from then: fewer than 1 % of the requests are slow.
      expect(s.p99).toBeLessThan(STALL_MS / 2);
    }, 60_000);
  });
});
