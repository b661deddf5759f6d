# Tests only: a Jaeger stand-in. Receives jaeger-client's Thrift spans on
# :14268/api/traces (test/helpers/jaeger-receiver.ts) and lists them on
# :16686/api/services and /api/traces?service=... (a small part of Jaeger's query API).
ARG BASE=agora-local/node:24
FROM ${BASE}
WORKDIR /app
COPY package.json ./
RUN npm install --omit=dev --no-audit --no-fund --loglevel=error && npm cache clean --force
COPY jaeger-receiver.ts jaeger-server.ts ./
USER node
EXPOSE 14268 16686
CMD ["node", "--import", "tsx", "jaeger-server.ts"]
