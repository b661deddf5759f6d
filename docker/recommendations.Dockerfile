# The Go recommendations node (services/recommendations): an image of its own.
#   docker build -f docker/recommendations.Dockerfile -t agora-recommendations .   (from the repository root)
#
# Stage 1 builds the Go module offline as `npm run build` does: scripts/go.mjs
# lays Debian's packaged Go sources out as a module proxy, checks their
# versions against go.mod and go.sum, vets and builds (Debian's Node runs the
# script; no Go module proxy or registry is needed). Stage 2 is the static
# binary on slim Debian, non-root. Configuration comes from the same
# environment as every Agora node (docker/agora.env, docker/secrets/recommendations.env).

# Any Debian bookworm image; without a registry, `npm run images:local`'s debootstrap base works.
ARG DEBIAN_IMAGE=debian:bookworm-slim

FROM ${DEBIAN_IMAGE} AS build
RUN apt-get update -qq \
  && apt-get install -y -qq --no-install-recommends golang-go nodejs \
     golang-github-nats-io-go-nats-dev golang-github-prometheus-client-golang-dev \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY scripts/go.mjs scripts/go-proxy.mjs scripts/
COPY services/recommendations services/recommendations
RUN node scripts/go.mjs vet && node scripts/go.mjs build

FROM ${DEBIAN_IMAGE} AS runtime
ENV NODE_ENV=production \
    HEALTH_PORT=3001 \
    METRICS_PORT=3030 \
    DATA_DIR=/data
RUN groupadd --gid 1000 agora && useradd --uid 1000 --gid agora --no-create-home --shell /usr/sbin/nologin agora \
  && mkdir /data && chown agora:agora /data
COPY --from=build /src/dist/recommendations /usr/local/bin/recommendations
USER agora
# Replicas share this volume: the log of confirmed orders (README, Polyglot).
VOLUME /data
# 3001 /healthz + /readyz, 3030 Prometheus /metrics
EXPOSE 3001 3030
# Long timeout and start period: on a busy host Docker's exec of the check alone took seconds (docker/Dockerfile).
HEALTHCHECK --interval=10s --timeout=30s --start-period=120s --retries=3 \
  CMD ["/usr/local/bin/recommendations", "probe"]
# The binary is PID 1: `docker stop`'s SIGTERM makes it leave the cluster gracefully.
STOPSIGNAL SIGTERM
CMD ["/usr/local/bin/recommendations"]
