# Stand-in for nginx:1.27-alpine: Debian's nginx-light (1.22), logging to the
# container's output, in the foreground. wget for the compose healthcheck.
ARG BASE=agora-local/debian:bookworm
FROM ${BASE}
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends nginx-light wget >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
