/**
 * The npm half of "a fresh clone runs by itself": `npm run dev` and `npm test`
 * call ensureNpmDependencies() first, on whatever Node started them (the
 * system's, ≥ 20, on a fresh clone). When node_modules is missing or differs
 * from package-lock.json, it runs `npm ci` — under the project's own Node
 * (the `node` devDependency, fetched once into ~/.cache/agora), because
 * Moleculer asks for Node ≥ 22 and npm would warn (EBADENGINE) under an
 * older one. Plain JavaScript: it must run before anything is installed.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf8"));

/** The Node version the project runs on: its `node` devDependency. */
export function projectNodeVersion() {
  return readJson(path.join(ROOT, "package.json")).devDependencies.node;
}

/** The project's Node binary inside node_modules (there once dependencies are installed). */
export function projectNode() {
  return path.join(ROOT, "node_modules/node/bin/node");
}

/** Locked packages that are absent or at another version in node_modules (optional ones may be absent). */
export function outdatedPackages() {
  const lock = readJson(path.join(ROOT, "package-lock.json"));
  const outdated = [];
  for (const [key, locked] of Object.entries(lock.packages ?? {})) {
    if (!key || locked.link) continue;
    let version;
    try {
      version = readJson(path.join(ROOT, key, "package.json")).version;
    } catch {
      if (!locked.optional && !locked.devOptional) outdated.push(key);
      continue;
    }
    if (version !== locked.version) outdated.push(key);
  }
  return outdated;
}

/** A Node binary of the project's version outside node_modules, which `npm ci` removes first. */
function bootstrapNode(version) {
  const dir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "agora", `node-${version}`);
  const binary = path.join(dir, "node_modules/node/bin/node");
  if (!fs.existsSync(binary)) {
    console.log(`agora: fetching Node ${version} for the project into ${dir}`);
    run(process.execPath, [
      npmCli(),
      "install",
      "--prefix",
      dir,
      "--no-save",
      "--no-audit",
      "--no-fund",
      `node@${version}`,
    ]);
  }
  return binary;
}

/** npm's own entry point: the one running this script, else the one beside this Node. */
function npmCli() {
  if (process.env.npm_execpath) return process.env.npm_execpath;
  return path.join(path.dirname(process.execPath), "../lib/node_modules/npm/bin/npm-cli.js");
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`agora: ${path.basename(command)} ${args.slice(1).join(" ")} failed`);
    process.exit(result.status ?? 1);
  }
}

/** Runs `npm ci` under the project's Node when node_modules does not match package-lock.json. */
export function ensureNpmDependencies() {
  const outdated = outdatedPackages();
  if (outdated.length === 0) return;
  const version = projectNodeVersion();
  console.log(
    `agora: node_modules is missing or out of date (${outdated.length} packages, e.g. ${outdated[0]}): npm ci under Node ${version}`,
  );
  const node = bootstrapNode(version);
  // Lifecycle scripts (argon2, the node package) find `node` on the PATH: the same one.
  const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ""}` };
  run(node, [npmCli(), "ci", "--no-audit", "--no-fund"], env);
}
