import { writeSync } from "node:fs";
import fs from "node:fs/promises";

/**
 * An append-only file kept open, with group commit: lines appended while a
 * write is on its way go out together in the next one, and `flush()` resolves
 * once everything appended before it is written and, with `sync`, on the disk
 * (fdatasync). A writer acknowledges only after `flush()`.
 *
 * Why: NeDB opens, appends to and closes its file once per write, and its
 * executor runs the next write only after that, so a store's writes were as
 * many as one open/append/close per millisecond allows (bench/README.md,
 * "Durable embedded store"). Here the store's executor never waits for the
 * disk; only the acknowledgement does, and one write carries every pending line.
 *
 * Without `sync` the batch goes out with one synchronous write(2) at the end
 * of the event-loop turn (setImmediate): into the page cache it takes a few
 * µs, while FileHandle.appendFile's trip through the thread pool cost about
 * 60 µs of CPU per call (the largest item of a checkout, bench/README.md).
 * A killed process still loses nothing acknowledged: the write has returned
 * before anyone is told. With `sync` the fdatasync stays off the event loop.
 */
export class AppendLog {
  private file?: fs.FileHandle;
  private pending: string[] = [];
  /** Sequence numbers: lines appended so far, lines known written (and synced). */
  private appended = 0;
  private durable = 0;
  private writing = false;
  private scheduled = false;
  private waiters: { seq: number; resolve(): void; reject(err: unknown): void }[] = [];
  private failed?: unknown;

  constructor(
    private readonly filename: string,
    private readonly sync: boolean,
  ) {}

  async open(): Promise<void> {
    this.file = await fs.open(this.filename, "a");
  }

  /** Queues text (whole lines) for the next write; nothing waits here. */
  append(text: string): void {
    if (!text) return;
    this.pending.push(text);
    this.appended++;
  }

  /** Resolves when everything appended so far is written (and synced); rejects if the file cannot take it. */
  flush(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.durable >= this.appended) return Promise.resolve();
    const seq = this.appended;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
    if (this.sync) void this.drain();
    else if (!this.scheduled) {
      // Every write of this turn goes out in one write(2).
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.writeNow();
      });
    }
    return done;
  }

  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
    await this.file?.close();
    this.file = undefined;
  }

  private writeNow(): void {
    if (this.failed || this.pending.length === 0) return;
    const seq = this.appended;
    try {
      if (!this.file) throw new Error(`${this.filename} is closed`);
      const batch = Buffer.from(this.pending.join(""), "utf8");
      this.pending = [];
      for (let at = 0; at < batch.length;) at += writeSync(this.file.fd, batch, at);
    } catch (err) {
      this.fail(err);
      return;
    }
    this.durable = seq;
    this.settle(
      (w) => w.seq <= seq,
      (w) => w.resolve(),
    );
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        if (!this.file) throw new Error(`${this.filename} is closed`);
        const batch = this.pending.join("");
        const seq = this.appended;
        this.pending = [];
        await this.file.appendFile(batch, "utf8");
        if (this.sync) await this.file.datasync();
        this.durable = seq;
        this.settle(
          (w) => w.seq <= seq,
          (w) => w.resolve(),
        );
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.writing = false;
    }
  }

  /** The file no longer takes writes (disk full, closed): no later write may be acknowledged either. */
  private fail(err: unknown): void {
    this.failed = err;
    this.settle(
      () => true,
      (w) => w.reject(err),
    );
  }

  private settle(which: (w: AppendLog["waiters"][number]) => boolean, how: (w: AppendLog["waiters"][number]) => void) {
    const [now, later] = [this.waiters.filter(which), this.waiters.filter((w) => !which(w))];
    this.waiters = later;
    for (const w of now) how(w);
  }
}
