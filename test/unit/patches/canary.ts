import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * What the upgrade canaries (test/unit/patches/*.canary.test.ts) share. A patch of a
 * dependency (platform/patches/<package>/, docs/patches.md) was written against one version of
 * it and relies on code of that version that no API promises: its canary fails the moment an
 * upgrade changes that code, so the upgrade starts with re-reading the patch, not with a
 * production surprise. Each failure names the patch to re-read.
 */

export const ROOT = path.resolve(__dirname, "../../..");
export const PATCHES = path.join(ROOT, "platform/patches");

/** The version of a package as installed (node_modules). */
export function installedVersion(name: string): string {
  // Read from node_modules: a package's exports may not include its package.json.
  const file = path.join(ROOT, "node_modules", name, "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** The version package.json pins (Agora pins exact versions). */
export function pinnedVersion(name: string): string | undefined {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  return pkg.dependencies[name] ?? pkg.devDependencies[name];
}

/** The patch files of one package's folder. */
export function patchFiles(pkg: string): string[] {
  return fs
    .readdirSync(path.join(PATCHES, pkg))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join("platform/patches", pkg, f));
}

/** A patch file's header: its first comment block that starts with "Patch:". */
export function header(file: string): string {
  const source = fs.readFileSync(path.join(ROOT, file), "utf8");
  const block = [...source.matchAll(/\/\*\*([\s\S]*?)\*\//g)].map((m) => m[1]).find((b) => /\*\s*Patch:/.test(b));
  if (!block) throw new Error(`${file} has no header comment starting with "Patch:"`);
  return block.replace(/^\s*\* ?/gm, "");
}

/** Every `package@x.y.z` a header names: the versions the patch was written against. */
export function versionsNamed(text: string): [string, string][] {
  return [...text.matchAll(/(?<![\w@/-])((?:@[\w-]+\/)?[a-z][\w.-]*)@(\d+\.\d+\.\d+)\b/g)].map((m) => [m[1], m[2]]);
}

/** A short hash of a function's source text, as the installed package has it. */
export function sourceHash(fn: unknown): string {
  if (typeof fn !== "function") throw new Error(`not a function: ${String(fn)}`);
  return crypto.createHash("sha256").update(fn.toString()).digest("hex").slice(0, 16);
}

/** The hashes of `fns` that differ from those recorded, with a line saying what to do. */
export function changedSources(recorded: Record<string, string>, fns: Record<string, unknown>): string[] {
  return Object.entries(recorded)
    .filter(([name, hash]) => sourceHash(fns[name]) !== hash)
    .map(([name]) => `${name} changed upstream (now ${sourceHash(fns[name])}): re-read the patch against it`);
}

/** The checks every patched package gets: its versions as the headers say, pinned and installed. */
export function versionChecks(pkg: string): void {
  describe(`platform/patches/${pkg}: versions`, () => {
    const files = patchFiles(pkg);

    it("has patch files, each with a header naming its version, canary and upstream plan", () => {
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const text = header(file);
        expect({ file, patch: text.match(/^Patch: (\S+)@/m)?.[1] }).toEqual({ file, patch: pkg });
        const canary = text.match(/^Canary: (\S+)/m)?.[1];
        expect({ file, canary: canary && fs.existsSync(path.join(ROOT, canary)) }).toEqual({ file, canary: true });
        expect({ file, upstream: /^Upstream: \S/m.test(text) }).toEqual({ file, upstream: true });
      }
    });

    it("was written against the versions package.json pins and node_modules holds", () => {
      for (const file of files) {
        for (const [name, version] of versionsNamed(header(file))) {
          expect({ file, name, pinned: pinnedVersion(name) }).toEqual({ file, name, pinned: version });
          expect({ file, name, installed: installedVersion(name) }).toEqual({ file, name, installed: version });
        }
      }
    });
  });
}
