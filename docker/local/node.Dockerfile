# Node 24 on the local Debian base (docker/local/build-images.sh), standing in
# for node:24-slim: the same binary the project's npm scripts run (the "node"
# devDependency), npm from `npm pack`, a "node" user with uid 1000.
ARG BASE=agora-local/debian:bookworm
FROM ${BASE}
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --create-home --shell /bin/bash node
# The host's CA bundle (copied into the base): npm inside a build trusts the
# registry as the host does.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
