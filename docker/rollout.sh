#!/usr/bin/env bash
# npm run rollout -- <service> <image>
#
# Replaces the running containers of one compose service by containers of
# <image>, one at a time, without dropping a request: start one new container,
# wait until Docker reports it healthy (its /readyz: joined the cluster, store
# reachable), then stop one old container (SIGTERM: it leaves the cluster at
# once and finishes the calls it is running), and so on. The replica count is
# unchanged at the end. A new container that does not become healthy within
# ROLLOUT_HEALTH_TIMEOUT seconds (120) is removed and the rollout stops, with
# the old containers still serving.
#
# Works with `docker compose` (v2) and `docker-compose` (v1). It addresses the
# stack through the variables both read: COMPOSE_PROJECT_NAME (default agora)
# and COMPOSE_FILE (default docker/docker-compose.yml; add
# :docker/compose.local.yml for the local images). Later `up` commands give
# containers ${AGORA_IMAGE:-agora:latest}: once every service runs <image>,
# export AGORA_IMAGE=<image> so that `up` does not bring the old one back.
set -euo pipefail
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--compose" ]; then
  shift
  if docker compose version >/dev/null 2>&1; then exec docker compose "$@"; else exec docker-compose "$@"; fi
fi

service=${1:-}
image=${2:-}
if [ -z "$service" ] || [ -z "$image" ]; then
  echo "usage: npm run rollout -- <service> <image>   e.g. npm run rollout -- catalog agora:next" >&2
  exit 2
fi
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-agora}
export COMPOSE_FILE=${COMPOSE_FILE:-docker/docker-compose.yml}
timeout=${ROLLOUT_HEALTH_TIMEOUT:-120}

# Rollouts of several services may run side by side. Compose lists every
# container of the project and then inspects each, so one removed by another
# rollout in between fails its `up` ("No such container"): the commands that
# add or remove containers take turns, per project (flock, where there is one).
lock=${TMPDIR:-/tmp}/agora-rollout-$COMPOSE_PROJECT_NAME.lock
exclusive() {
  if command -v flock >/dev/null; then flock "$lock" "$@"; else "$@"; fi
}
log() { printf '[rollout %s] %s\n' "$service" "$*" >&2; }
# Running containers of the service (not `run` one-offs), oldest first. Both
# Compose versions label their containers this way.
running() {
  docker ps -q --no-trunc \
    --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" \
    --filter "label=com.docker.compose.service=$service" \
    --filter "label=com.docker.compose.oneoff=False" |
    xargs -r docker inspect -f '{{.Created}} {{.Id}}' | sort | awk '{print $2}'
}
health() { docker inspect -f '{{if index .State "Health"}}{{.State.Health.Status}}{{else}}none{{end}}' "$1"; }
short() { echo "${1:0:12}"; }

docker image inspect "$image" >/dev/null 2>&1 || { log "no image $image here (build or pull it first)"; exit 1; }
mapfile -t old < <(running)
[ ${#old[@]} -gt 0 ] || { log "no running container in project $COMPOSE_PROJECT_NAME"; exit 1; }
log "${#old[@]} container(s) to replace with $image"

for container in "${old[@]}"; do
  before=$(running)
  count=$(echo "$before" | wc -l)
  AGORA_IMAGE=$image exclusive bash "$self" --compose up -d --no-deps --no-recreate --no-build \
    --scale "$service=$((count + 1))" "$service" 2>&1 | sed 's/^/  /' >&2
  new=$(comm -13 <(echo "$before" | sort) <(running | sort) | head -n1)
  [ -n "$new" ] || { log "compose started no new container"; exit 1; }
  log "started $(short "$new"), waiting until it is healthy"
  waited=0
  until [ "$(health "$new")" = healthy ]; do
    status=$(health "$new")
    if [ "$status" = unhealthy ] || [ "$status" = none ] || [ "$waited" -ge "$timeout" ]; then
      log "$(short "$new") is $status after ${waited}s: removing it; the old containers keep serving"
      docker rm -f "$new" >/dev/null
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  log "$(short "$new") healthy after ${waited}s; stopping $(short "$container")"
  # A stopped container is still listed, so only its removal takes turns.
  docker stop "$container" >/dev/null
  exclusive docker rm "$container" >/dev/null
done
log "done: ${#old[@]} container(s) run $image"
