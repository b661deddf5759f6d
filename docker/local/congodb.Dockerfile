# Tests only: the MongoDB-wire test server (CongoDB, test/helpers/congo-server.mjs)
# in a container, listening on every interface so other containers reach it.
# It is a stand-in, not MongoDB: no authentication, data in memory.
ARG BASE=agora-local/node:24
FROM ${BASE}
WORKDIR /app
COPY package.json ./
# --ignore-scripts: mongodb-memory-server (a dependency) downloads a mongod on install; it is not used.
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error && npm cache clean --force
COPY congo-server.mjs ping.mjs ./
USER node
EXPOSE 27017
# A ping over the wire protocol: no mongosh needed.
HEALTHCHECK --interval=2s --timeout=3s --retries=15 CMD ["node", "ping.mjs"]
CMD ["node", "congo-server.mjs", "27017", "0.0.0.0"]
