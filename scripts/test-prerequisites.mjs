/**
 * The first step of `npm test`: what the tests need from the machine, then the
 * npm dependencies (scripts/npm-deps.mjs). On Debian or Ubuntu, missing
 * programs are installed with apt-get, after saying which and why (as root
 * directly, otherwise through sudo, which asks for a password); elsewhere the
 * list is printed and the run stops. `--check` only reports what is missing.
 * Plain JavaScript: it runs before anything is installed, on the system's Node.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { ensureNpmDependencies } from "./npm-deps.mjs";

/** What the suites need beyond npm, and the Debian package that provides it (docs/testing.md). */
export const PREREQUISITES = [
  {
    need: "nats-server",
    has: () => onPath("nats-server"),
    pkg: "nats-server",
    why: "real NATS for cluster and process tests",
  },
  {
    need: "wrk",
    has: () => onPath("wrk"),
    pkg: "wrk",
    why: "the load generator of the bench smoke test and npm run bench",
  },
  {
    need: "docker-compose",
    has: () => onPath("docker-compose"),
    pkg: "docker-compose",
    why: "checks the compose file",
  },
  {
    need: "Chromium",
    has: () => !!process.env.CHROMIUM_PATH || ["chromium", "chromium-browser", "google-chrome"].some(onPath),
    pkg: "chromium",
    why: "the browser tests (or set CHROMIUM_PATH)",
  },
  { need: "go", has: () => onPath("go"), pkg: "golang-go", why: "builds and tests the Go recommendations service" },
  {
    need: "the NATS Go client",
    has: () => fs.existsSync("/usr/share/gocode/src/github.com/nats-io/nats.go"),
    pkg: "golang-github-nats-io-go-nats-dev",
    why: "the Go service's NATS client (no Go module proxy needed)",
  },
];

function onPath(program) {
  return spawnSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" }).status === 0;
}

function sh(command, args) {
  const result = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) {
    console.error(`npm test: ${command} ${args.join(" ")} failed`);
    process.exit(result.status ?? 1);
  }
}

const missing = PREREQUISITES.filter((p) => !p.has());
if (missing.length > 0) {
  const packages = missing.map((p) => p.pkg);
  console.log("npm test needs programs this machine lacks:");
  for (const p of missing) console.log(`  ${p.need.padEnd(20)} Debian package ${p.pkg.padEnd(34)} ${p.why}`);
  if (process.argv.includes("--check")) process.exit(1);
  if (!onPath("apt-get")) {
    console.error("No apt-get here: install them with your package manager, then run npm test again.");
    process.exit(1);
  }
  const root = process.getuid?.() === 0;
  if (!root && !onPath("sudo")) {
    console.error(`Installing them needs root: run as root, or: apt-get install -y ${packages.join(" ")}`);
    process.exit(1);
  }
  const prefix = root ? [] : ["sudo"];
  console.log(`Installing them: ${[...prefix, "apt-get", "install", "-y", ...packages].join(" ")}`);
  const [command, ...rest] = [...prefix, "apt-get"];
  sh(command, [...rest, "update", "-qq"]);
  sh(command, [...rest, "install", "-y", "-qq", ...packages]);
} else if (process.argv.includes("--check")) {
  console.log("npm test: every program it needs is installed");
  process.exit(0);
}

ensureNpmDependencies();
