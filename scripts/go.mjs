#!/usr/bin/env node
/**
 * Builds and tests the Go recommendations service, a Go module
 * (services/recommendations/go.mod, go.sum).
 *
 *   node scripts/go.mjs build   → dist/recommendations (skipped, and says so, without `go`)
 *   node scripts/go.mjs vet     → go vet of every package (fails without `go`)
 *   node scripts/go.mjs test    → go vet + go test of every package (fails without `go`)
 *   node scripts/go.mjs pacts   → the Go node's consumer pacts into pacts/ (pact_test.go; fails without `go`)
 *   node scripts/go.mjs sum     → after a change of go.mod's versions: go.sum from the packaged sources
 *
 * No module proxy is reachable, so the modules come from Debian's packaged
 * sources (/usr/share/gocode): scripts/go-proxy.mjs lays them out as a module
 * proxy on disk under node_modules/.cache (ignored by git, lint and jest), as
 * `npm ci` fills node_modules, and stops with what to do when a Debian
 * package's version is not the one go.mod pins. The go command reads only that
 * proxy (GOPROXY=file://…, no checksum database: GOSUMDB=off) and verifies
 * every module it takes from it against go.sum; -mod=readonly: a build never
 * edits go.mod or go.sum, `sum` does, and says so.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { layOutProxy } from "./go-proxy.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MODULE_DIR = path.join(ROOT, "services/recommendations");
const CACHE = path.join(ROOT, "node_modules/.cache/agora-go");
const PROXY = path.join(CACHE, "proxy");
const OUT = path.join(ROOT, "dist/recommendations");
const INSTALL =
  "apt-get install golang-go golang-github-nats-io-go-nats-dev golang-github-prometheus-client-golang-dev";

function hasGo() {
  return spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
}

const ENV = {
  ...process.env,
  GO111MODULE: "on",
  GOFLAGS: "-mod=readonly",
  GOPROXY: `file://${PROXY}`,
  GOSUMDB: "off",
  GONOSUMDB: "",
  GONOPROXY: "",
  GOPRIVATE: "",
  GOWORK: "off",
  GOTOOLCHAIN: "local",
  // A module cache and GOPATH of the checkout's own: what is extracted here
  // came from this proxy and nowhere else.
  GOMODCACHE: path.join(CACHE, "modcache"),
  GOPATH: path.join(CACHE, "gopath"),
  CGO_ENABLED: "0",
};

function go(args, extraEnv = {}, stdout = "inherit") {
  const result = spawnSync("go", args, {
    cwd: MODULE_DIR,
    env: { ...ENV, ...extraEnv },
    stdio: ["ignore", stdout, "inherit"],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The proxy for the current go.mod; a remade proxy empties the module cache, which would keep old modules. */
function prepare() {
  let remade;
  try {
    remade = layOutProxy(fs.readFileSync(path.join(MODULE_DIR, "go.mod"), "utf8"), PROXY);
  } catch (err) {
    console.error(`go: ${err.message}\n(the packages: ${INSTALL})`);
    process.exit(1);
  }
  if (remade && fs.existsSync(ENV.GOMODCACHE)) go(["clean", "-modcache"]);
}

const command = process.argv[2];
if (!["build", "vet", "test", "pacts", "sum"].includes(command)) {
  console.error("usage: node scripts/go.mjs build|vet|test|pacts|sum");
  process.exit(2);
}
if (!hasGo()) {
  if (command === "build") {
    console.log(`go: not on the PATH, skipped the Go recommendations service (${INSTALL})`);
    process.exit(0);
  }
  console.error(`go: not on the PATH; the Go tests need it (${INSTALL})`);
  process.exit(1);
}
prepare();
if (command === "build") {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  go(["build", "-trimpath", "-o", OUT, "."]);
  console.log(`go: built ${path.relative(ROOT, OUT)}`);
} else if (command === "pacts") {
  go(["test", "-count=1", "-run", "^TestPact", "."], { PACT_DIR: path.join(ROOT, "pacts") });
} else if (command === "vet" || command === "test") {
  go(["vet", "./..."]);
  if (command === "test") go(["test", "-count=1", "./..."]);
} else {
  // From scratch: the hashes are those of what the proxy now holds.
  fs.writeFileSync(path.join(MODULE_DIR, "go.sum"), "");
  // The packages and tests of this module only: `go mod tidy` would also want
  // the dependencies' own test dependencies, which Debian does not ship.
  go(["list", "-deps", "-test", "./..."], { GOFLAGS: "-mod=mod" }, "ignore");
  go(["mod", "verify"]);
  console.log("go: go.sum holds the packaged modules' hashes; review and commit go.mod and go.sum");
}
