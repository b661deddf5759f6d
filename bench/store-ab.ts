import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Datastore from "@seald-io/nedb";
import { newId } from "../platform/core/ids";
import { NedbAdapter } from "../platform/store/nedb-adapter";

/**
 * A/B of the embedded store's write path, alternating rounds on a busy machine:
 *
 *   npx tsx bench/store-ab.ts [--rounds 5] [--writes 4000] [--concurrency 64]
 *
 * Each round runs the same workload on a fresh data file per variant: `writes`
 * conditional single-document updates (a stock decrement, as a checkout
 * does), `concurrency` at a time. Variants: NeDB as it persists by itself
 * (open/append/close per write, the executor waiting for it), the adapter's
 * group commit acknowledging after write(), and after fdatasync (DATA_SYNC).
 * Prints the median writes/s per variant and each one's ratio to NeDB's.
 */

type Update = (id: string) => Promise<unknown>;

interface Variant {
  name: string;
  open(file: string, ids: string[]): Promise<{ update: Update; close(): Promise<void> }>;
}

const decrement = { $inc: { stock: -1 }, $set: { updatedAt: "" } };

const nedbAlone: Variant = {
  name: "NeDB (append per write)",
  async open(file, ids) {
    const ds = new Datastore<object>({ filename: file });
    await ds.loadDatabaseAsync();
    await ds.insertAsync(ids.map((_id) => ({ _id, stock: 1e9 })));
    return {
      update: (id) => ds.updateAsync({ _id: id, stock: { $gte: 1 } }, decrement, { returnUpdatedDocs: true }),
      close: async () => undefined,
    };
  },
};

const grouped = (sync: boolean): Variant => ({
  name: sync ? "group commit + fdatasync" : "group commit (write)",
  async open(file, ids) {
    const adapter = new NedbAdapter({ filename: file, sync });
    await adapter.connect();
    for (const _id of ids) await adapter.insertDoc({ _id, stock: 1e9 });
    return {
      update: (id) => adapter.updateDoc(id, { stock: { $gte: 1 } }, decrement),
      close: () => adapter.disconnect(),
    };
  },
});

async function round(variant: Variant, dir: string, writes: number, concurrency: number): Promise<number> {
  const ids = Array.from({ length: 100 }, () => newId());
  const file = path.join(dir, `${variant.name.replace(/\W+/g, "-")}-${Date.now()}.db`);
  const store = await variant.open(file, ids);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < writes) await store.update(ids[next++ % ids.length]);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.close();
  fs.rmSync(file, { force: true });
  return writes / seconds;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main() {
  const rounds = arg("rounds", 5);
  const writes = arg("writes", 4000);
  const concurrency = arg("concurrency", 64);
  const variants = [nedbAlone, grouped(false), grouped(true)];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-store-ab-"));
  const results = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) results.get(v.name)!.push(await round(v, dir, writes, concurrency));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(results.get(nedbAlone.name)!);
  console.log(`| variant | writes/s (median of ${rounds}) | × NeDB |`);
  console.log("| --- | ---: | ---: |");
  for (const [name, xs] of results) {
    console.log(`| ${name} | ${Math.round(median(xs)).toLocaleString("en")} | ${(median(xs) / base).toFixed(1)} |`);
  }
}

void main();
