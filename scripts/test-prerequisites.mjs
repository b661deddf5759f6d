/**
 * The first step of `npm test`: what the tests need from the machine, then the
 * npm dependencies (scripts/npm-deps.mjs). On Debian or Ubuntu, missing
 * programs are installed with apt-get, after saying which and why (as root
 * directly, otherwise through sudo, which asks for a password); elsewhere the
 * list is printed and the run stops. `--check` only reports what is missing.
 * `--docker` (npm run test:docker) adds what test/docker needs: as root, the
 * Docker engine and debootstrap are installed and dockerd is started.
 * Plain JavaScript: it runs before anything is installed, on the system's Node.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
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
    need: "promtool",
    has: () => onPath("promtool"),
    pkg: "prometheus",
    why: "npm run test:alerts (promtool test rules) and test/process/prometheus-rules (the prometheus server)",
  },
  {
    need: "docker-compose",
    has: () => onPath("docker-compose"),
    pkg: "docker-compose",
    why: "checks the compose file, runs the stack in test/docker",
  },
  // With --docker only, and only as root (as on CI): a developer's machine
  // without an engine reports test/docker as skipped instead.
  {
    need: "a Docker engine",
    has: () => onPath("dockerd"),
    pkg: "docker.io",
    why: "test/docker: the shop on real containers",
    docker: true,
  },
  {
    need: "debootstrap",
    has: () => onPath("debootstrap"),
    pkg: "debootstrap",
    why: "npm run images:local: the Debian base image (no image registry needed)",
    docker: true,
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
    why: "the Go service's NATS client (a Go module, built offline from Debian's sources)",
  },
  {
    need: "the Prometheus Go client",
    has: () => fs.existsSync("/usr/share/gocode/src/github.com/prometheus/client_golang"),
    pkg: "golang-github-prometheus-client-golang-dev",
    why: "the Go service's /metrics (a Go module, built offline from Debian's sources)",
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

const root = process.getuid?.() === 0;
const withDocker = process.argv.includes("--docker");
const absent = PREREQUISITES.filter((p) => !p.has() && (withDocker || !p.docker));
const missing = absent.filter((p) => root || !p.docker);
for (const p of absent.filter((a) => !missing.includes(a)))
  console.log(`npm test: no ${p.need} (Debian package ${p.pkg}, installed only as root): ${p.why} is skipped`);
if (missing.length > 0) {
  const packages = missing.map((p) => p.pkg);
  console.log("npm test needs programs this machine lacks:");
  for (const p of missing) console.log(`  ${p.need.padEnd(20)} Debian package ${p.pkg.padEnd(34)} ${p.why}`);
  if (process.argv.includes("--check")) process.exit(1);
  if (!onPath("apt-get")) {
    console.error("No apt-get here: install them with your package manager, then run npm test again.");
    process.exit(1);
  }
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

/** `docker info` answers: an engine runs and this user may use it. */
function engineAnswers() {
  return (
    spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { stdio: "ignore", timeout: 30_000 }).status === 0
  );
}

/**
 * As root with Docker installed but no engine running (a fresh CI machine):
 * start dockerd in the background and wait until it answers. Otherwise
 * test/docker reports itself skipped, with the reason.
 */
async function startEngine() {
  if (!withDocker || process.argv.includes("--check") || !onPath("docker") || engineAnswers()) return;
  if (!root || !onPath("dockerd")) {
    console.log("npm test: no Docker engine answers `docker info`: test/docker will be reported as skipped");
    return;
  }
  const log = path.join(os.tmpdir(), "agora-dockerd.log");
  console.log(`npm test: starting the Docker engine (dockerd, log in ${log})`);
  const out = fs.openSync(log, "a");
  spawn("dockerd", [], { detached: true, stdio: ["ignore", out, out] }).unref();
  for (let waited = 0; waited < 120; waited++) {
    if (engineAnswers()) return;
    await sleep(1000);
  }
  console.error(`npm test: dockerd did not answer within 120 s (see ${log})`);
  process.exit(1);
}

await startEngine();
ensureNpmDependencies();
