import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

export interface Asset {
  body: string;
  type: string;
  /** The URL carries a hash of the content, so browsers may keep it for a year. */
  url: string;
}

/**
 * The stylesheet and the script are real files in services/web/assets/ (linted
 * and formatted like the rest), read once at start; the build copies them next
 * to the compiled code (scripts/copy-assets.mjs), so this path holds in dist/ too.
 */
const ASSETS_DIR = path.join(__dirname, "..", "assets");

function asset(name: string, ext: string, type: string): Asset {
  const body = readFileSync(path.join(ASSETS_DIR, `${name}.${ext}`), "utf8");
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 10);
  return { body, type, url: `/assets/${name}.${hash}.${ext}` };
}

export const assets = {
  css: asset("site", "css", "text/css; charset=utf-8"),
  js: asset("site", "js", "text/javascript; charset=utf-8"),
  icon: asset("favicon", "svg", "image/svg+xml"),
};

/** The asset a request names (`site.<hash>.css`), or undefined. */
export function findAsset(file: string): Asset | undefined {
  return Object.values(assets).find((a) => a.url === `/assets/${file}`);
}
