import net from "node:net";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page, Product } from "../../contracts";
import { get } from "../helpers/http";
import { eventually, freePort, startProcess, stopAll } from "../helpers/processes";

/**
 * The README's first command on a fresh clone: the repository's files without
 * node_modules, the system's Node and npm on the PATH (not the project's),
 * and `npm run dev` alone takes it to a shop that answers — installing the
 * npm dependencies itself, under the project's Node, so npm reports no
 * EBADENGINE on the way.
 */
const ROOT = path.resolve(__dirname, "../..");

/** The PATH a new user has: no node_modules/.bin, so `node` and `npm` are the system's. */
const systemPath = (process.env.PATH ?? "")
  .split(path.delimiter)
  .filter((dir) => !dir.includes("node_modules"))
  .join(path.delimiter);

let clone: string;
beforeAll(() => {
  clone = fs.mkdtempSync(path.join(os.tmpdir(), "agora-clone-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT })
    .toString()
    .split("\0")
    .filter((file) => file && fs.existsSync(path.join(ROOT, file)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(clone, file));
  }
});
afterAll(async () => {
  await stopAll();
  fs.rmSync(clone, { recursive: true, force: true });
});

it("npm run dev on a fresh clone installs what it needs and serves the shop, with no EBADENGINE", async () => {
  expect(fs.existsSync(path.join(clone, "node_modules"))).toBe(false);
  const systemNode = execFileSync("sh", ["-c", "command -v node"], { env: { PATH: systemPath } })
    .toString()
    .trim();
  expect(systemNode).not.toContain("node_modules");

  const port = await freePort();
  const dev = startProcess("npm", ["run", "dev"], { PATH: systemPath, PORT: String(port), JEST_WORKER_ID: "" }, clone, {
    detached: true,
  });
  await dev.waitFor(/node_modules is missing or out of date/, 60_000);
  const served = eventually(
    async () => {
      const res = await get<Page<Product>>(`http://127.0.0.1:${port}`, "/api/v1/products?pageSize=2");
      return res.status === 200 && res.body;
    },
    1_500_000,
    1000,
  );
  const exited = dev.exited.then((code) => {
    throw new Error(`npm run dev exited (${code}):\n${dev.output().slice(-3000)}`);
  });
  const page = await Promise.race([served, exited]);
  exited.catch(() => undefined); // from here on, exiting is what the test asks for
  expect(page.rows).toHaveLength(2);
  expect(dev.output()).not.toMatch(/EBADENGINE/);
  // The shop runs on the project's Node, not the one that started it.
  expect(fs.existsSync(path.join(clone, "node_modules/node/bin/node"))).toBe(true);
  // Ctrl+C: the terminal sends SIGINT to the command's whole process group; the shop stops and npm exits.
  process.kill(-dev.child.pid!, "SIGINT");
  const closed = () =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(false)));
      socket.once("error", () => resolve(true));
    });
  expect(await eventually(closed, 30_000, 500)).toBe(true);
  await dev.stop("SIGTERM", 30_000);
}, 1_800_000);
