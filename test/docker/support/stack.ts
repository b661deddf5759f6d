import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../helpers/processes";
import { COMPOSE, dockerOk, healthOf, ROOT, run, type Run } from "./engine";

/**
 * One compose stack on the local images: docker/docker-compose.yml plus
 * docker/compose.local.yml, copied to a scratch folder with each
 * docker/secrets/<role>.env made from its committed example (as a user does), under its own project name and
 * with every published port free on 127.0.0.1, so a suite never meets a stack
 * someone else runs on this machine.
 */
export const AGORA_SERVICES = ["api", "catalog", "inventory", "users", "cart", "orders", "payments", "notifications"];

/** The committed example of one role's secrets (docker/secrets/<role>.env.example); the admin is in users'. */
export function secretsExample(role = "users"): Record<string, string> {
  return Object.fromEntries(
    fs
      .readFileSync(path.join(ROOT, `docker/secrets/${role}.env.example`), "utf8")
      .split("\n")
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

export class Stack {
  readonly env: Record<string, string>;

  private constructor(
    readonly project: string,
    private readonly dir: string,
    ports: Record<string, number>,
    extraFiles: string[],
  ) {
    const files = ["docker-compose.yml", "compose.local.yml", ...extraFiles].map((f) => path.join(dir, "docker", f));
    this.env = {
      COMPOSE_PROJECT_NAME: project,
      COMPOSE_FILE: files.join(":"),
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    };
  }

  /** `override`: one more compose file (YAML text) on top, for what a test changes. */
  static async create(name: string, override?: string): Promise<Stack> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `agora-${name}-`));
    fs.cpSync(path.join(ROOT, "docker"), path.join(dir, "docker"), { recursive: true });
    // compose mounts k8s/mongo-init.js into the mongo container (each service's own database user).
    fs.mkdirSync(path.join(dir, "k8s"));
    fs.copyFileSync(path.join(ROOT, "k8s/mongo-init.js"), path.join(dir, "k8s/mongo-init.js"));
    const secrets = path.join(dir, "docker", "secrets");
    for (const file of fs.readdirSync(secrets).filter((f) => f.endsWith(".env.example")))
      fs.copyFileSync(path.join(secrets, file), path.join(secrets, file.replace(/\.example$/, "")));
    const ports: Record<string, number> = {};
    for (const p of ["HTTP_PORT", "PROMETHEUS_PORT", "JAEGER_UI_PORT", "NATS_MONITOR_PORT", "GRAFANA_PORT"]) {
      ports[p] = await freePort();
    }
    const extra: string[] = [];
    if (override) {
      fs.writeFileSync(path.join(dir, "docker", "compose.test.yml"), override);
      extra.push("compose.test.yml");
    }
    // Compose lower-cases the project name and drops what is not [a-z0-9_-].
    return new Stack(`agoratest${name.replace(/[^a-z0-9]/g, "")}${process.pid}`, dir, ports, extra);
  }

  get url(): string {
    return `http://127.0.0.1:${this.env.HTTP_PORT}`;
  }

  port(name: string): number {
    return Number(this.env[name]);
  }

  /** docker compose / docker-compose with this stack's project and files. */
  compose(args: string[], env: Record<string, string> = {}, timeoutMs?: number, signal?: AbortSignal): Promise<Run> {
    const [command, ...first] = COMPOSE!;
    return run(command, [...first, ...args], { ...this.env, ...env }, timeoutMs, signal);
  }

  async composeOk(args: string[], env: Record<string, string> = {}, timeoutMs?: number): Promise<string> {
    const r = await this.compose(args, env, timeoutMs);
    if (r.code !== 0) throw new Error(`compose ${args.join(" ")} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  }

  /** Running containers of a compose service (ids), oldest first. */
  async containers(service?: string): Promise<string[]> {
    const filters = ["--filter", `label=com.docker.compose.project=${this.project}`];
    if (service) filters.push("--filter", `label=com.docker.compose.service=${service}`);
    const ids = (await dockerOk("ps", "-q", "--no-trunc", ...filters)).split("\n").filter(Boolean);
    if (ids.length === 0) return [];
    const created = await dockerOk("inspect", "-f", "{{.Created}} {{.Id}}", ...ids);
    return created
      .split("\n")
      .sort()
      .map((l) => l.split(" ")[1]);
  }

  /** Every container of the project, running or not, with its service, state and health. */
  async describe(): Promise<{ id: string; service: string; state: string; health: string; image: string }[]> {
    const ids = (
      await dockerOk("ps", "-aq", "--no-trunc", "--filter", `label=com.docker.compose.project=${this.project}`)
    )
      .split("\n")
      .filter(Boolean);
    if (ids.length === 0) return [];
    const format =
      '{{.Id}} {{index .Config.Labels "com.docker.compose.service"}} {{.State.Status}} ' +
      '{{if index .State "Health"}}{{.State.Health.Status}}{{else}}none{{end}} {{.Config.Image}}';
    return (await dockerOk("inspect", "-f", format, ...ids)).split("\n").map((l) => {
      const [id, service, state, health, image] = l.split(" ");
      return { id, service, state, health, image };
    });
  }

  health(container: string): Promise<string> {
    return healthOf(container);
  }

  async logs(service: string): Promise<string> {
    const r = await this.compose(["logs", "--no-color", service]);
    return r.stdout + r.stderr;
  }

  /** What is left of the project on the engine: containers, volumes, networks. */
  async leftovers(): Promise<{ containers: string[]; volumes: string[]; networks: string[] }> {
    const label = `label=com.docker.compose.project=${this.project}`;
    const list = async (...args: string[]) => (await dockerOk(...args)).split("\n").filter(Boolean);
    return {
      containers: await list("ps", "-aq", "--filter", label),
      volumes: await list("volume", "ls", "-q", "--filter", label),
      networks: await list("network", "ls", "-q", "--filter", label),
    };
  }

  /** down -v, and the scratch folder; safe to call twice. */
  async destroy(): Promise<void> {
    if (fs.existsSync(this.dir)) {
      await this.compose(["down", "-v", "--remove-orphans", "--timeout", "5"]);
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** A container's node ID prefix: Agora nodes are named host name + pid, and a container's host name is its short id. */
export const shortId = (id: string) => id.slice(0, 12);
