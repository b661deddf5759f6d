import fs from "node:fs";
import path from "node:path";

const held = new Set<string>();

/**
 * NeDB keeps the whole file in memory and appends to it, so two processes on
 * one file silently lose each other's writes. A lock file beside the data
 * file (holding the owner's pid) makes a second process fail fast instead.
 * A lock whose pid is no longer alive is stale and taken over.
 */
export function lockDataFile(filename: string): void {
  const lockFile = `${filename}.lock`;
  if (held.has(lockFile)) return;
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const owner = Number(fs.readFileSync(lockFile, "utf8").trim());
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `${filename} is already used by process ${owner}. An NeDB data file belongs to one process: ` +
          `run replicas of a stateful service with MONGO_URI (a shared MongoDB), or give each process its own DATA_DIR.`,
      );
    }
    fs.writeFileSync(lockFile, String(process.pid));
  }
  held.add(lockFile);
}

/** Releases every lock this process holds; called on exit. */
export function releaseDataLocks(): void {
  for (const lockFile of held) {
    try {
      if (fs.readFileSync(lockFile, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockFile);
    } catch {
      // already gone
    }
  }
  held.clear();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

process.on("exit", releaseDataLocks);
