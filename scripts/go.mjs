#!/usr/bin/env node
/**
 * Builds and tests the Go recommendations service (services/recommendations).
 *
 *   node scripts/go.mjs build   → dist/recommendations (skipped, and says so, without `go`)
 *   node scripts/go.mjs test    → go vet + go test of every Go package (fails without `go`)
 *   node scripts/go.mjs pacts   → the Go node's consumer pacts into pacts/ (pact_test.go; fails without `go`)
 *
 * Debian's Go has no module proxy here, so the build runs in GOPATH mode
 * against Debian's packaged sources (golang-github-nats-io-go-nats-dev in
 * /usr/share/gocode). The repository is linked into a GOPATH of its own
 * under node_modules/.cache (ignored by git, lint and jest) so the packages
 * import as agora/services/recommendations/...
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const GOPATH = path.join(ROOT, "node_modules/.cache/agora-gopath");
const LINK = path.join(GOPATH, "src/agora");
const PKG_DIR = path.join(LINK, "services/recommendations");
const OUT = path.join(ROOT, "dist/recommendations");

function hasGo() {
  return spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
}

function linkGopath() {
  fs.mkdirSync(path.dirname(LINK), { recursive: true });
  const target = path.relative(path.dirname(LINK), ROOT);
  if (fs.existsSync(LINK) && fs.readlinkSync(LINK) === target) return;
  fs.rmSync(LINK, { force: true });
  fs.symlinkSync(target, LINK);
}

function go(args, extraEnv = {}) {
  // PWD through the link: Go derives the import path from the working directory.
  const env = {
    ...process.env,
    GO111MODULE: "off",
    GOPATH: `${GOPATH}:/usr/share/gocode`,
    GOFLAGS: "",
    CGO_ENABLED: "0",
    PWD: PKG_DIR,
    ...extraEnv,
  };
  const result = spawnSync("go", args, { cwd: PKG_DIR, env, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const command = process.argv[2];
if (command === "build") {
  if (!hasGo()) {
    console.log(
      "go: not on the PATH, skipped the Go recommendations service (apt-get install golang-go golang-github-nats-io-go-nats-dev)",
    );
    process.exit(0);
  }
  linkGopath();
  go(["build", "-trimpath", "-o", OUT, "."]);
  console.log(`go: built ${path.relative(ROOT, OUT)}`);
} else if (command === "test" || command === "pacts") {
  if (!hasGo()) {
    console.error(
      "go: not on the PATH; the Go tests need it (apt-get install golang-go golang-github-nats-io-go-nats-dev)",
    );
    process.exit(1);
  }
  linkGopath();
  if (command === "pacts") {
    go(["test", "-count=1", "-run", "^TestPact", "."], { PACT_DIR: path.join(ROOT, "pacts") });
  } else {
    go(["vet", "./..."]);
    go(["test", "-count=1", "./..."]);
  }
} else {
  console.error("usage: node scripts/go.mjs build|test|pacts");
  process.exit(2);
}
