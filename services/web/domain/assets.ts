import { createHash } from "node:crypto";
import { SITE_CSS } from "../assets/site-css";
import { SITE_JS } from "../assets/site-js";

export interface Asset {
  body: string;
  type: string;
  /** The URL carries a hash of the content, so browsers may keep it for a year. */
  url: string;
}

function asset(name: string, ext: string, type: string, body: string): Asset {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 10);
  return { body, type, url: `/assets/${name}.${hash}.${ext}` };
}

export const assets = {
  css: asset("site", "css", "text/css; charset=utf-8", SITE_CSS),
  js: asset("site", "js", "text/javascript; charset=utf-8", SITE_JS),
};

/** The asset a request names (`site.<hash>.css`), or undefined. */
export function findAsset(file: string): Asset | undefined {
  return Object.values(assets).find((a) => a.url === `/assets/${file}`);
}
