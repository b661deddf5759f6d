// Copies the files the compiled code reads at run time but tsc does not emit
// (the storefront's stylesheet and script) into dist/, beside that code.
// Run by `npm run build` after tsc, and by docker/Dockerfile's build stage.
import { cpSync } from "node:fs";

const COPIED = ["services/web/assets"];

for (const dir of COPIED) {
  cpSync(dir, `dist/${dir}`, { recursive: true, filter: (src) => !src.endsWith(".ts") });
}
