/**
 * Lays out Debian's packaged Go sources (/usr/share/gocode) as a Go module
 * proxy on disk (GOPROXY=file://…), for exactly the modules a go.mod requires,
 * the way `npm ci` fills node_modules from package-lock.json. Used by
 * scripts/go.mjs; no module proxy or VCS is reachable from here.
 *
 * Per module: `@v/list`, `<v>.info`, `<v>.mod` and `<v>.zip` (files under
 * `<module>@<v>/`), as cmd/go's GOPROXY protocol reads them. go.sum then
 * verifies every `.mod` and `.zip` laid out here.
 *
 * Why each module's `.mod` is rewritten: Debian builds every Go package
 * against the other versions it ships, not against the minimums in upstream's
 * go.mod (Debian's client_golang 1.14.0 says xxhash v2.1.2 and
 * golang/protobuf v1.5.2; Debian ships 2.1.1 and 1.3.5). Left as they are,
 * minimal version selection would ask for versions Debian does not have. So a
 * module's requirements are narrowed to the modules our go.mod lists, at the
 * versions it lists, which are checked to be Debian's: the module graph is the
 * set Debian ships and tests together, and nothing else. A module without a
 * go.mod (Debian's nuid) gets `module <path>`.
 */
import { Buffer } from "node:buffer";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const GOCODE = "/usr/share/gocode/src";

/** The `require`d modules of a go.mod: [{ path, version }]. */
export function requirements(goModText) {
  const out = [];
  let inBlock = false;
  for (const raw of goModText.split("\n")) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (inBlock) {
      if (line === ")") inBlock = false;
      else if (line) out.push(pathVersion(line));
    } else if (/^require\s*\($/.test(line)) inBlock = true;
    else if (line.startsWith("require ")) out.push(pathVersion(line.slice("require ".length).trim()));
  }
  return out;
}

function pathVersion(line) {
  const [p, version] = line.split(/\s+/);
  return { path: p.replace(/^"|"$/g, ""), version };
}

/** Debian's package version as a Go module version: 1:0.7.0+dfsg-1 → v0.7.0. */
export function goVersionOf(debianVersion) {
  const upstream = debianVersion
    .replace(/^\d+:/, "")
    .replace(/-[^-]+$/, "")
    .replace(/[+~].*$/, "");
  return /^\d+\.\d+\.\d+$/.test(upstream) ? `v${upstream}` : null;
}

/** Where Debian put a module's source: its path, or without a /vN suffix (Debian's xxhash/v2). */
function sourceDir(modulePath) {
  const direct = path.join(GOCODE, modulePath);
  if (fs.existsSync(direct)) return direct;
  const major = /^(.*)\/v\d+$/.exec(modulePath);
  if (major && moduleLine(path.join(GOCODE, major[1])) === modulePath) return path.join(GOCODE, major[1]);
  return null;
}

function moduleLine(dir) {
  const file = path.join(dir, "go.mod");
  if (!fs.existsSync(file)) return null;
  const m = /^module\s+(\S+)/m.exec(fs.readFileSync(file, "utf8"));
  return m ? m[1].replace(/^"|"$/g, "") : null;
}

function run(command, args) {
  const r = spawnSync(command, args, { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The Debian package that ships a source directory (the owner of its first file), and its version. */
function debianPackageOf(dir) {
  const file = moduleFiles(dir).find((f) => f.endsWith(".go"));
  const owner = file && run("dpkg-query", ["-S", path.join(dir, file)]);
  if (!owner) return null;
  const pkg = owner.split(":")[0].split(",")[0].trim();
  return { pkg, version: run("dpkg-query", ["-W", "-f=${Version}", pkg]) };
}

/**
 * Checks each required module against Debian: present in /usr/share/gocode,
 * shipped by a package whose version is the one go.mod pins. Throws with what
 * to do otherwise.
 */
export function resolve(goModText) {
  return requirements(goModText).map((req) => {
    const dir = sourceDir(req.path);
    if (!dir) {
      throw new Error(
        `${req.path} ${req.version} (go.mod) is not in ${GOCODE}: install the Debian package that ships it (apt-cache search ${path.basename(req.path)})`,
      );
    }
    const declared = moduleLine(dir);
    if (declared && declared !== req.path)
      throw new Error(`${dir}/go.mod declares ${declared}, go.mod requires ${req.path}`);
    const deb = debianPackageOf(dir);
    if (!deb?.version) throw new Error(`${dir}: no installed Debian package owns it (dpkg-query -S)`);
    const debianGoVersion = goVersionOf(deb.version);
    if (debianGoVersion !== req.version) {
      throw new Error(
        `go.mod pins ${req.path} ${req.version}, but Debian's ${deb.pkg} is ${deb.version}` +
          (debianGoVersion ? ` (${debianGoVersion})` : " (no release version)") +
          `: set go.mod to Debian's version and refresh go.sum (node scripts/go.mjs sum), or install ${deb.pkg} at ${req.version}`,
      );
    }
    return { ...req, dir, pkg: deb.pkg, debianVersion: deb.version };
  });
}

/** The module's go.mod as the proxy serves it: requirements narrowed to `pinned` (see the header). */
export function rewrittenGoMod(mod, pinned) {
  const file = path.join(mod.dir, "go.mod");
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const goLine = /^go\s+(\S+)/m.exec(text);
  const wanted = new Map(pinned.map((p) => [p.path, p.version]));
  const reqs = requirements(text)
    .filter((r) => wanted.has(r.path) && r.path !== mod.path)
    .map((r) => `\t${r.path} ${wanted.get(r.path)}\n`);
  let out = `module ${mod.path}\n`;
  if (goLine) out += `\ngo ${goLine[1]}\n`;
  if (reqs.length) out += `\nrequire (\n${[...new Set(reqs)].sort().join("")})\n`;
  return out;
}

/** The files of a module as cmd/go zips them: no vendor/, no nested modules, regular files only. */
function moduleFiles(root) {
  const files = [];
  const walk = (dir, rel) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const abs = path.join(dir, name);
      const relName = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(abs);
      if (st.isDirectory()) {
        if (name === "vendor" || name === ".git" || fs.existsSync(path.join(abs, "go.mod"))) continue;
        walk(abs, relName);
      } else if (st.isFile() && relName !== "go.mod") files.push(relName);
    }
  };
  walk(root, "");
  return files;
}

// CRC-32 (IEEE) by table: zlib.crc32 is missing from Debian's Node 18, which
// the Go image's build stage runs this with (docker/recommendations.Dockerfile).
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data) {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip of stored (uncompressed) entries with fixed times: the same bytes for the same sources. */
function writeZip(file, entries) {
  const chunks = [];
  const central = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (const { name, data } of entries) {
    const nameBuf = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const head = Buffer.alloc(46);
    head.writeUInt32LE(0x02014b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(20, 6);
    head.writeUInt16LE(0x0800, 8);
    head.writeUInt16LE(0, 10);
    head.writeUInt16LE(0, 12);
    head.writeUInt16LE(DOS_DATE, 14);
    head.writeUInt32LE(crc, 16);
    head.writeUInt32LE(data.length, 20);
    head.writeUInt32LE(data.length, 24);
    head.writeUInt16LE(nameBuf.length, 28);
    head.writeUInt32LE(offset, 42);
    central.push(head, nameBuf);
    chunks.push(local, nameBuf, data);
    offset += local.length + nameBuf.length + data.length;
  }
  const centralBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  fs.writeFileSync(file, Buffer.concat([...chunks, centralBuf, end]));
}

/** cmd/go's escaping of module paths on disk: an upper-case letter becomes ! and its lower case. */
function escapePath(p) {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/**
 * Lays out the proxy for goModText under proxyDir, unless the one there was
 * made from the same go.mod and Debian package versions. Returns whether it
 * (re)made it: then the module cache must be emptied too, or it would keep
 * the modules it extracted from the old proxy.
 */
export function layOutProxy(goModText, proxyDir) {
  const modules = resolve(goModText);
  // This file is part of what the proxy is made from: a change here remakes it too.
  const builder = createHash("sha256")
    .update(fs.readFileSync(fileURLToPath(import.meta.url)))
    .digest("hex");
  const stamp = JSON.stringify({ builder, modules: modules.map((m) => [m.path, m.version, m.pkg, m.debianVersion]) });
  const stampFile = path.join(proxyDir, "debian-packages.json");
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp) return false;
  fs.rmSync(proxyDir, { recursive: true, force: true });
  for (const mod of modules) {
    const at = path.join(proxyDir, escapePath(mod.path), "@v");
    fs.mkdirSync(at, { recursive: true });
    const goMod = rewrittenGoMod(mod, modules);
    fs.writeFileSync(path.join(at, "list"), `${mod.version}\n`);
    fs.writeFileSync(path.join(at, `${mod.version}.info`), JSON.stringify({ Version: mod.version }) + "\n");
    fs.writeFileSync(path.join(at, `${mod.version}.mod`), goMod);
    const prefix = `${mod.path}@${mod.version}/`;
    const entries = [{ name: `${prefix}go.mod`, data: Buffer.from(goMod) }];
    for (const f of moduleFiles(mod.dir))
      entries.push({ name: prefix + f, data: fs.readFileSync(path.join(mod.dir, f)) });
    writeZip(path.join(at, `${mod.version}.zip`), entries);
  }
  fs.writeFileSync(stampFile, stamp);
  return true;
}
