import path from "node:path";
import type { RouteResponses } from "./openapi";

/** The API browser at /api/docs: swagger-ui-dist's own files, served by the gateway (no CDN). */

export const DOCS_PATH = "/api/docs";
export const OPENAPI_PATH = "/api/openapi.json";

export function swaggerUiDir(): string {
  return path.dirname(require.resolve("swagger-ui-dist/package.json"));
}

export const docsHtml = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Agora API</title>
    <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/agora-init.js"></script>
  </body>
</html>
`;

// A separate script, not inline, so a Content-Security-Policy without 'unsafe-inline' still works.
export const docsInitScript = `window.ui = SwaggerUIBundle({ url: "${OPENAPI_PATH}", dom_id: "#swagger-ui", deepLinking: true });\n`;

/** What the document and API browser routes answer, for the OpenAPI document itself. */
export const docsResponses: Record<string, RouteResponses> = {
  [`GET ${OPENAPI_PATH}`]: {
    "200": {
      description: "This document",
      type: "application/json",
      schema: { type: "object", required: ["openapi", "info", "paths"] },
    },
  },
  [`GET ${DOCS_PATH}`]: { "200": { description: "The API browser", type: "text/html", schema: { type: "string" } } },
  [`GET ${DOCS_PATH}/agora-init.js`]: {
    "200": { description: "The API browser's start script", type: "text/javascript", schema: { type: "string" } },
  },
};
