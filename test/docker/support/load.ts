import { randomBytes, randomUUID } from "node:crypto";

/**
 * Continuous load through the load balancer: each worker repeats its step
 * until stop(); every request is recorded with its status and duration.
 * A request fails when it gets no HTTP answer (status 0) or not the status
 * its step expects.
 */
export interface Sample {
  step: string;
  status: number;
  expected: number;
  ms: number;
  /** ms since the load started. */
  at: number;
  error?: string;
  /** The W3C trace id the request was sent with: its spans in Jaeger (support/traces.ts). */
  traceId: string;
}

export interface Shop {
  url: string;
  /** Products with stock enough for the whole run. */
  productIds: string[];
  /** Tokens of users that check out, one worker each. */
  tokens: string[];
}

export class Load {
  readonly samples: Sample[] = [];
  private running = true;
  private readonly workers: Promise<void>[] = [];
  private readonly t0 = Date.now();
  /** When the load started (for the logs of a failed run). */
  readonly startedAt = new Date(this.t0);

  constructor(
    private readonly shop: Shop,
    {
      readers = 4,
      checkouts = true,
      pauseMs = 0,
    }: {
      readers?: number;
      checkouts?: boolean;
      /** Each worker's pause between steps: load that leaves the two cores to what the test changes. */
      pauseMs?: number;
    } = {},
  ) {
    for (let i = 0; i < readers; i++) this.workers.push(this.loop(() => this.read(i), pauseMs));
    if (checkouts) for (const token of shop.tokens) this.workers.push(this.loop(() => this.checkout(token), pauseMs));
  }

  private async loop(step: () => Promise<void>, pauseMs: number): Promise<void> {
    while (this.running) {
      await step();
      if (pauseMs > 0 && this.running) await new Promise((r) => setTimeout(r, pauseMs));
    }
  }

  private async call(
    step: string,
    expected: number,
    path: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: unknown }> {
    const start = Date.now();
    let status = 0;
    let body: unknown;
    let error: string | undefined;
    const traceId = randomBytes(16).toString("hex");
    const headers = {
      ...(init.headers as Record<string, string>),
      traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01`,
    };
    try {
      // Far above anything the shop should take: a hang shows as a long sample, not a stuck test.
      const res = await fetch(this.shop.url + path, { ...init, headers, signal: AbortSignal.timeout(60_000) });
      status = res.status;
      const text = await res.text();
      body = text.startsWith("{") ? JSON.parse(text) : text;
      if (status !== expected) error = text.slice(0, 300);
    } catch (err) {
      error = String(err);
    }
    this.samples.push({ step, status, expected, ms: Date.now() - start, at: start - this.t0, error, traceId });
    return { status, body };
  }

  private async read(i: number): Promise<void> {
    const id = this.shop.productIds[i % this.shop.productIds.length];
    await this.call("list", 200, "/api/v1/products?pageSize=5");
    await this.call("get", 200, `/api/v1/products/${id}`);
  }

  private async checkout(token: string): Promise<void> {
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const id = this.shop.productIds[Math.floor(Math.random() * this.shop.productIds.length)];
    const put = await this.call("cart", 200, `/api/v1/cart/items/${id}`, {
      method: "PUT",
      headers: auth,
      body: JSON.stringify({ quantity: 1 }),
    });
    if (put.status !== 200) return;
    await this.call("checkout", 201, "/api/v1/orders", {
      method: "POST",
      headers: { ...auth, "idempotency-key": randomUUID() },
      body: JSON.stringify({ payment: { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" } }),
    });
  }

  async stop(): Promise<Sample[]> {
    this.running = false;
    await Promise.all(this.workers);
    return this.samples;
  }

  failures(): Sample[] {
    return this.samples.filter((s) => s.status !== s.expected);
  }

  /** Count, failures, slowest and p99 per step: what the suites report. */
  summary(from = 0): Record<string, { n: number; failed: number; p99: number; max: number }> {
    const out: Record<string, { n: number; failed: number; p99: number; max: number }> = {};
    for (const step of [...new Set(this.samples.map((s) => s.step)), "all"]) {
      const list = this.samples.filter((s) => s.at >= from && (step === "all" || s.step === step));
      const ms = list.map((s) => s.ms).sort((a, b) => a - b);
      out[step] = {
        n: list.length,
        failed: list.filter((s) => s.status !== s.expected).length,
        p99: ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))] ?? 0,
        max: ms[ms.length - 1] ?? 0,
      };
    }
    return out;
  }

  /** ms since the load started (to cut the samples of one phase). */
  now(): number {
    return Date.now() - this.t0;
  }
}
