import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The README is a newcomer's first day, and docs/ the manual it points to:
 * short, every link lands on a file, and every command the pages substitute
 * with `$(...)` is one every machine with Node has (no uuidgen, no openssl).
 */

const ROOT = path.resolve(__dirname, "../..");
const pages = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).map((name) => `docs/${name}`)].filter((file) =>
  file.endsWith(".md"),
);
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The shell blocks of a page. */
function shellBlocks(text: string): string[] {
  return [...text.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((match) => match[1]);
}

/** Every `$( ... )` in the shell blocks, without nested parentheses. */
function substitutions(text: string): string[] {
  return shellBlocks(text).flatMap((block) =>
    [...block.matchAll(/\$\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g)].map((m) => m[1]),
  );
}

describe("README and docs/", () => {
  it("the README stays a first day's read", () => {
    expect(read("README.md").split("\n").length).toBeLessThanOrEqual(150);
  });

  it.each(pages)("every relative link in %s lands on a file", (file) => {
    const broken = [...read(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((match) => match[1])
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => !fs.existsSync(path.resolve(ROOT, path.dirname(file), target)));
    expect(broken).toEqual([]);
  });

  it("the README links every page of docs/", () => {
    const linked = [...read("README.md").matchAll(/\]\(docs\/([^)#]+)/g)].map((match) => match[1]);
    expect(pages.filter((file) => file.startsWith("docs/") && !linked.includes(file.slice(5)))).toEqual([]);
  });

  it("command substitutions use only node, npm, npx, curl, coreutils and the docs' own docker alias; the node ones run", () => {
    const commands = pages.flatMap((file) => substitutions(read(file)).map((command) => ({ file, command })));
    expect(commands.length).toBeGreaterThan(0);
    const programs = commands.flatMap(({ command }) => command.split("|").map((part) => part.trim().split(/\s+/)[0]));
    expect(
      [...new Set(programs)].filter(
        (program) => !["node", "npm", "npx", "curl", "head", "dc", "docker"].includes(program),
      ),
    ).toEqual([]);

    const standalone = commands.filter(({ command }) => /^node -[pe] '[^']*'$/.test(command));
    expect(standalone.length).toBeGreaterThan(0);
    for (const { command } of standalone) {
      const script = command.slice(command.indexOf("'") + 1, -1);
      expect(execFileSync(process.execPath, ["-p", script], { encoding: "utf8" }).trim()).toMatch(/^[0-9a-f-]{32,}$/);
    }
  });
});

describe("the README's two commands", () => {
  const block = shellBlocks(read("README.md"))[0];
  const commands = block
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter(Boolean);

  it("are two lines: npm run dev and npm test", () => {
    expect(commands).toEqual(["npm run dev", "npm test"]);
  });

  it(".ci/run runs the tests with exactly the second one, as its last step", () => {
    // Before it, .ci/run may only start a Docker engine for test/docker/ (a CI-only concern, see .ci/run).
    const lines = read(".ci/run")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    expect(lines.at(-1)).toBe(commands[1]);
    expect(lines.filter((line) => /\b(npm|npx|jest)\b/.test(line))).toEqual([commands[1]]);
  });

  it("npm test starts with the prerequisites step, which names what a machine lacks and how it gets it", () => {
    const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
    expect(pkg.scripts.test.startsWith("node scripts/test-prerequisites.mjs && ")).toBe(true);
    // A PATH without nats-server: --check reports it, with its Debian package, and fails.
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "agora-path-"));
    fs.symlinkSync("/bin/sh", path.join(empty, "sh"));
    const run = spawnSync(process.execPath, ["scripts/test-prerequisites.mjs", "--check"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: empty, CHROMIUM_PATH: "" },
    });
    fs.rmSync(empty, { recursive: true, force: true });
    expect(run.status).toBe(1);
    for (const pkgName of ["nats-server", "docker-compose", "chromium", "golang-go"])
      expect(run.stdout).toContain(`Debian package ${pkgName}`);
  });
});
