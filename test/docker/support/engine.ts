import { execFile, spawnSync } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

/**
 * The Docker engine the test/docker suites run on. Without one (no CLI, no
 * daemon, no Compose) the suites are reported as skipped with the reason,
 * never as passed; .ci/run installs and starts the engine so CI runs them
 * (and with CI=true a missing engine is a failure).
 */
export const ROOT = path.resolve(__dirname, "../../..");
const execFileAsync = promisify(execFile);

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never throws on a non-zero exit (the caller asserts on `code`). */
export async function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 600_000,
  signal?: AbortSignal,
) {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      signal,
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr } satisfies Run;
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? e.message };
  }
}

/** `docker compose` (v2) when the CLI has it, else `docker-compose` (v1). */
function composeCommand(): string[] | undefined {
  if (spawnSync("docker", ["compose", "version"], { encoding: "utf8" }).status === 0) return ["docker", "compose"];
  if (spawnSync("docker-compose", ["version", "--short"], { encoding: "utf8" }).status === 0) return ["docker-compose"];
  return undefined;
}

export const COMPOSE = composeCommand();

function skipReason(): string | undefined {
  const info = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8", timeout: 30_000 });
  if (info.error) return `no docker CLI (${info.error.message}); .ci/run installs docker.io`;
  if (info.status !== 0) return `no Docker engine answers \`docker info\` (${info.stderr.trim().split("\n")[0]})`;
  if (!COMPOSE) return "neither `docker compose` nor `docker-compose` is installed";
  return undefined;
}

export const SKIP_REASON = skipReason();
if (SKIP_REASON && process.env.CI !== "true") console.warn(`test/docker: skipped, ${SKIP_REASON}`);

/**
 * describe() on a machine with an engine; otherwise skipped, the reason in its
 * name. Under CI (CI=true) a missing engine fails instead: .ci/run installs
 * and starts it, so a skip there would hide a broken set-up.
 */
export function describeDocker(name: string, fn: () => void): void {
  if (!SKIP_REASON) describe(name, fn);
  else if (process.env.CI === "true") {
    describe(name, () => {
      it("needs a Docker engine under CI", () => {
        throw new Error(`test/docker cannot run: ${SKIP_REASON}`);
      });
    });
  } else describe.skip(`${name} [skipped: ${SKIP_REASON}]`, fn);
}

/**
 * `npm run images:local`: builds what is missing or changed (seconds when
 * nothing changed), so the suites always run today's code.
 */
export async function buildLocalImages(env: NodeJS.ProcessEnv = {}, only?: string): Promise<void> {
  const result = await run("bash", ["docker/local/build-images.sh", ...(only ? ["--only", only] : [])], env, 1_500_000);
  if (result.code !== 0) throw new Error(`npm run images:local failed:\n${result.stdout}\n${result.stderr}`);
}

export async function docker(...args: string[]): Promise<Run> {
  return run("docker", args);
}

export async function dockerOk(...args: string[]): Promise<string> {
  const result = await run("docker", args);
  if (result.code !== 0) throw new Error(`docker ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim();
}

export async function healthOf(container: string): Promise<string> {
  const r = await docker(
    "inspect",
    "-f",
    '{{if index .State "Health"}}{{.State.Health.Status}}{{else}}none{{end}}',
    container,
  );
  return r.code === 0 ? r.stdout.trim() : "gone";
}
