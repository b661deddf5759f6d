# Stand-in for nats:2.10-alpine: Debian's nats-server (2.9). wget for the
# compose healthcheck, as the Alpine image has it.
ARG BASE=agora-local/debian:bookworm
FROM ${BASE}
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends nats-server wget >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
USER nobody
EXPOSE 4222 8222
ENTRYPOINT ["nats-server"]
CMD ["-c", "/etc/nats/nats.conf"]
