import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";

/**
 * docker/: every compose file passes `docker-compose config -q` (Debian's
 * docker-compose, installed by .ci/run), and the stack has the shape that
 * `--scale` needs; nats.conf is accepted by the real nats-server.
 */
const ROOT = path.resolve(__dirname, "../..");
const DOCKER = path.join(ROOT, "docker");
const composeFiles = fs.readdirSync(DOCKER).filter((f) => /^(docker-)?compose.*\.ya?ml$/.test(f));
const agoraServices = fs
  .readdirSync(path.join(ROOT, "services"))
  .filter((name) => fs.existsSync(path.join(ROOT, "services", name, `${name}.service.ts`)));

/** Services that run in another's container: the storefront's pages beside the gateway (they need its JWT_SECRET). */
const HOSTED_BY: Record<string, string> = { web: "api" };
const containers = agoraServices.filter((name) => !HOSTED_BY[name]);
const servicesIn = (container: string) =>
  [container, ...agoraServices.filter((name) => HOSTED_BY[name] === container)].join(",");

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  env_file?: string[];
  ports?: unknown[];
  container_name?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

/**
 * docker/ (and k8s/mongo-init.js, which compose mounts) copied to a temporary
 * folder with each docker/secrets/*.env made from its committed example, as a
 * user does before `up` (the real ones are git-ignored).
 */
function stagedDockerDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-compose-"));
  fs.cpSync(DOCKER, path.join(dir, "docker"), { recursive: true });
  fs.mkdirSync(path.join(dir, "k8s"));
  fs.copyFileSync(path.join(ROOT, "k8s/mongo-init.js"), path.join(dir, "k8s/mongo-init.js"));
  const secrets = path.join(dir, "docker", "secrets");
  for (const file of fs.readdirSync(secrets).filter((f) => f.endsWith(".env.example")))
    fs.copyFileSync(path.join(secrets, file), path.join(secrets, file.replace(/\.example$/, "")));
  return path.join(dir, "docker");
}

describe("docker/", () => {
  let staged: string;
  beforeAll(() => {
    staged = stagedDockerDir();
  });
  afterAll(() => fs.rmSync(path.dirname(staged), { recursive: true, force: true }));

  it("has compose files", () => {
    expect(composeFiles).toContain("docker-compose.yml");
  });

  it.each(composeFiles)("%s passes docker-compose config -q", (file) => {
    // An override (compose.local.yml) is only valid on top of the main file.
    const files = [...new Set(["docker-compose.yml", file])].flatMap((f) => ["-f", path.join(staged, f)]);
    const result = spawnSync("docker-compose", [...files, "config", "-q"], { encoding: "utf8" });
    expect(result.error).toBeUndefined();
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
  });

  it("fails without the secrets files: no secret has a default baked in", () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "agora-compose-"));
    try {
      fs.cpSync(DOCKER, bare, { recursive: true });
      for (const file of fs.readdirSync(path.join(bare, "secrets")).filter((f) => f.endsWith(".env")))
        fs.rmSync(path.join(bare, "secrets", file), { force: true });
      const result = spawnSync("docker-compose", ["-f", path.join(bare, "docker-compose.yml"), "config", "-q"], {
        encoding: "utf8",
      });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/secrets\/\w+\.env/);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it("runs one scalable service per Moleculer service, behind a load balancer, with health conditions", () => {
    const resolved = parse(
      execFileSync("docker-compose", ["-f", path.join(staged, "docker-compose.yml"), "config"], { encoding: "utf8" }),
    ) as { services: Record<string, ComposeService> };
    const services = resolved.services;
    const raw = parse(fs.readFileSync(path.join(DOCKER, "docker-compose.yml"), "utf8"), { merge: true }) as {
      services: Record<string, ComposeService>;
    };
    for (const [hosted, container] of Object.entries(HOSTED_BY)) {
      expect(agoraServices).toContain(hosted);
      expect(services[hosted]).toBeUndefined();
      expect(services[container].environment?.SERVICES?.split(",")).toContain(hosted);
    }
    for (const name of containers) {
      const svc = services[name];
      expect(svc).toBeDefined();
      expect(svc.environment?.SERVICES).toBe(servicesIn(name));
      // --scale needs no fixed container name and no fixed host port.
      expect(svc.container_name).toBeUndefined();
      expect(svc.ports).toBeUndefined();
      expect(svc.depends_on?.nats?.condition).toBe("service_healthy");
      expect(svc.depends_on?.mongo?.condition).toBe("service_healthy");
      // Settings and secrets come from the env files (resolved into environment here).
      expect(svc.environment).toMatchObject({ NODE_ENV: "production", TRANSPORTER: "nats://nats:4222" });
      expect(Object.keys(svc.environment ?? {})).toEqual(expect.arrayContaining(["NATS_USER", "NATS_PASSWORD"]));
      // Inline, each service sets only what tells it apart.
      const own = raw.services[name].environment ?? {};
      expect(Object.keys(own).filter((k) => !["SERVICES", "PORT"].includes(k))).toEqual([]);
      expect(raw.services[name].env_file).toEqual(["agora.env", `secrets/${name}.env`]);
    }
    expect(services.lb.depends_on?.api?.condition).toBe("service_healthy");
    expect(services.lb.ports).toHaveLength(1);
    for (const infra of ["nats", "mongo", "lb"]) expect(services[infra].healthcheck?.test.length).toBeGreaterThan(1);
    expect(services.jaeger.image).toMatch(/^jaegertracing\/all-in-one:/);
  });

  it("nats.conf is valid for nats-server, and refuses to start without the credentials", () => {
    const creds = Object.fromEntries(
      ["API", "CATALOG", "INVENTORY", "USERS", "CART", "ORDERS", "PAYMENTS", "NOTIFICATIONS", "RECOMMENDATIONS"].map(
        (role) => [`NATS_${role}_PASSWORD`, "secret"],
      ),
    );
    const ok = spawnSync("nats-server", ["-c", path.join(DOCKER, "nats.conf"), "-t"], {
      env: { ...process.env, ...creds },
      encoding: "utf8",
    });
    expect({ status: ok.status, out: ok.stderr + ok.stdout }).toMatchObject({ status: 0 });
    const bare = { ...process.env, ...creds };
    delete bare.NATS_API_PASSWORD;
    const refused = spawnSync("nats-server", ["-c", path.join(DOCKER, "nats.conf"), "-t"], {
      env: bare,
      encoding: "utf8",
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr + refused.stdout).toMatch(/NATS_API_PASSWORD/);
  });

  it("the Dockerfile's runtime stage holds production dependencies and dist/ only, and runs node directly on moleculer-runner as a non-root user", () => {
    const dockerfile = fs.readFileSync(path.join(DOCKER, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-(slim|alpine)/m);
    const stages = dockerfile.split(/^(?=FROM )/m).slice(1);
    const runtime = stages[stages.length - 1];
    expect(runtime).toMatch(/^FROM \$\{NODE_IMAGE\} AS runtime$/m);
    // Installed in a stage of its own with --omit=dev; the runtime copies its node_modules and the compiled dist/.
    const prodDeps = stages.find((s) => /^FROM \S+ AS production-deps$/m.test(s)) ?? "";
    expect(prodDeps).toMatch(/^RUN .*npm ci --omit=dev/m);
    expect(runtime).toMatch(/^COPY --from=production-deps \/app\/node_modules \.\/node_modules$/m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(runtime.match(/^COPY .*$/gm)).toHaveLength(3);
    expect(runtime).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/readyz/m);
    expect(dockerfile).toMatch(
      /^CMD \["node", "node_modules\/moleculer\/bin\/moleculer-runner\.js", "--config", "dist\/moleculer\.config\.js"\]$/m,
    );
    // Nothing secret in the image: no ENV or ARG names a credential.
    expect(dockerfile).not.toMatch(/^(ENV|ARG)\b.*(SECRET|PASSWORD|TOKEN|MONGO_URI)/m);
    const ignore = fs.readFileSync(path.join(ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["node_modules", "dist", ".git", "**/secrets/*.env"]) expect(ignore).toContain(entry);
  });
});
