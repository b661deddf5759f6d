import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connect } from "nats";
import { parse, parseAllDocuments } from "yaml";
import { startNats } from "../helpers/processes";
import { NATS_ROLES } from "../helpers/nats-roles";

/**
 * Each container and pod gets only the secrets its services need: the
 * gateway and users the JWT key, each stateful service its own database user
 * (on its own database, created by k8s/mongo-init.js), never the MongoDB root
 * account, and each node its role's NATS user (docker/nats.conf). Read from
 * docker-compose.yml and k8s/ as they are, with the committed examples of the
 * secrets files.
 */
const ROOT = path.resolve(__dirname, "../..");
const ROLES = NATS_ROLES;
/** Services on MongoDB; the Go recommendations node keeps a local file. */
const STATEFUL = ["catalog", "inventory", "users", "cart", "orders", "payments", "notifications"];

/** What each role may hold, and nothing more. */
const ALLOWED: Record<string, string[]> = Object.fromEntries(
  ROLES.map((role) => [
    role,
    [
      "NATS_USER",
      "NATS_PASSWORD",
      ...(role === "api" || role === "users" ? ["JWT_SECRET"] : []),
      ...(role === "users" ? ["ADMIN_EMAIL", "ADMIN_PASSWORD"] : []),
      ...(STATEFUL.includes(role) ? ["MONGO_URI"] : []),
    ].sort(),
  ]),
);

function envFile(file: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readFileSync(path.join(ROOT, file), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

interface ComposeService {
  env_file?: string[];
}

/** The secrets a compose service receives: every env file but the shared settings (agora.env, no secrets). */
function composeSecrets(service: ComposeService): Record<string, string> {
  return Object.assign(
    {},
    ...(service.env_file ?? []).filter((f) => f !== "agora.env").map((f) => envFile(`docker/${f}.example`)),
  );
}

interface K8sDoc {
  kind: string;
  metadata: { name: string };
  spec: {
    template: {
      spec: { containers: { envFrom?: { secretRef?: { name: string } }[]; env?: { valueFrom?: unknown }[] }[] };
    };
  };
}

const k8sDocs = (): K8sDoc[] =>
  fs
    .readdirSync(path.join(ROOT, "k8s"))
    .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(ROOT, "k8s", f), "utf8")).map((d) => d.toJSON()));

/** The secrets a pod receives: the Secrets it references, each with the keys of its generator's env file. */
function podSecrets(doc: K8sDoc): Record<string, string> {
  const kustomization = parse(fs.readFileSync(path.join(ROOT, "k8s/kustomization.yaml"), "utf8")) as {
    secretGenerator: { name: string; envs: string[] }[];
  };
  const [container] = doc.spec.template.spec.containers;
  expect(container.env?.filter((e) => e.valueFrom) ?? []).toEqual([]);
  const names = (container.envFrom ?? []).flatMap((from) => (from.secretRef ? [from.secretRef.name] : []));
  return Object.assign(
    {},
    ...names.map((name) => {
      const generator = kustomization.secretGenerator.find((g) => g.name === name)!;
      return Object.assign({}, ...generator.envs.map((env) => envFile(`k8s/${env}.example`)));
    }),
  );
}

function expectRoleSecrets(role: string, secrets: Record<string, string>, mongoHost: string): void {
  expect({ role, keys: Object.keys(secrets).sort() }).toEqual({ role, keys: ALLOWED[role] });
  expect(secrets.NATS_USER).toBe(role);
  if (STATEFUL.includes(role)) {
    const uri = new URL(secrets.MONGO_URI);
    expect({
      role,
      user: uri.username,
      host: uri.host,
      db: uri.pathname,
      authSource: uri.searchParams.get("authSource"),
    }).toEqual({
      role,
      user: role,
      host: mongoHost,
      db: `/agora_${role}`,
      authSource: `agora_${role}`,
    });
  }
}

describe("secrets per container and pod", () => {
  it.each(ROLES)("compose: the %s containers get their role's secrets only", (role) => {
    const compose = parse(fs.readFileSync(path.join(ROOT, "docker/docker-compose.yml"), "utf8"), { merge: true }) as {
      services: Record<string, ComposeService>;
    };
    expectRoleSecrets(role, composeSecrets(compose.services[role]), "mongo:27017");
  });

  it.each(ROLES)("Kubernetes: the %s pods get their role's secrets only", (role) => {
    const deployment = k8sDocs().find((d) => d.kind === "Deployment" && d.metadata.name === role)!;
    expectRoleSecrets(role, podSecrets(deployment), "mongo-0.mongo:27017");
  });

  it.each(["docker/secrets", "k8s/secrets"])("%s: the MongoDB root account is the mongo server's alone", (dir) => {
    const mongo = envFile(`${dir}/mongo.env.example`);
    expect(mongo.MONGO_INITDB_ROOT_USERNAME).toBeTruthy();
    const root = mongo.MONGO_INITDB_ROOT_USERNAME;
    for (const role of STATEFUL) {
      const uri = new URL(envFile(`${dir}/${role}.env.example`).MONGO_URI);
      expect(uri.username).not.toBe(root);
      // The service's password is the one mongo-init.js gives its user.
      expect(decodeURIComponent(uri.password)).toBe(mongo[`${role.toUpperCase()}_DB_PASSWORD`]);
    }
  });

  /** The server's values are bcrypt hashes (no plaintext warning) and each role's password opens its user. */
  async function hashesOpenEachRole(server: Record<string, string>, confFile: string, secretsDir: string) {
    expect(Object.keys(server).sort()).toEqual(ROLES.map((role) => `NATS_${role.toUpperCase()}_PASSWORD`).sort());
    for (const hash of Object.values(server)) expect(hash).toMatch(/^"\$2[aby]\$\d\d\$.{53}"$/);
    const nats = await startNats(["-c", confFile], undefined, server);
    try {
      for (const role of ROLES) {
        const pass = envFile(`${secretsDir}/${role}.env.example`).NATS_PASSWORD;
        const nc = await connect({ servers: nats.url, user: role, pass });
        await nc.close();
        await expect(connect({ servers: nats.url, user: role, pass: `${pass}-wrong` })).rejects.toThrow(
          /Authorization Violation/,
        );
      }
      expect(nats.output()).not.toMatch(/Plaintext passwords/);
    } finally {
      await nats.stop();
    }
  }

  it("k8s/secrets: the nats-secrets Secret holds bcrypt hashes and each role's password opens its user", async () => {
    // kustomize keeps a value as written: the double quotes reach nats-server.
    const configMap = k8sDocs().find((d) => d.kind === "ConfigMap" && d.metadata.name === "nats-config") as unknown as {
      data: Record<string, string>;
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agora-k8s-nats-"));
    try {
      fs.writeFileSync(path.join(dir, "nats.conf"), configMap.data["nats.conf"]);
      await hashesOpenEachRole(envFile("k8s/secrets/nats.env.example"), path.join(dir, "nats.conf"), "k8s/secrets");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("docker/secrets: the NATS server holds bcrypt hashes (no plaintext warning) and each role's password opens its user", async () => {
    // As Compose reads the file: the single quotes are dropped, the double quotes reach nats-server.
    const server = Object.fromEntries(
      Object.entries(envFile("docker/secrets/nats.env.example")).map(([k, v]) => [k, v.replace(/^'(.*)'$/, "$1")]),
    );
    await hashesOpenEachRole(server, "docker/nats.conf", "docker/secrets");
  }, 60_000);

  it("nats.conf (compose) and the nats-config ConfigMap (Kubernetes) define a user per role, the same way", () => {
    const conf = fs.readFileSync(path.join(ROOT, "docker/nats.conf"), "utf8");
    const configMap = k8sDocs().find((d) => d.kind === "ConfigMap" && d.metadata.name === "nats-config") as unknown as {
      data: Record<string, string>;
    };
    const users = (text: string) =>
      [...text.matchAll(/\{ user: (\w+), password: \$NATS_(\w+)_PASSWORD/g)].map((m) => [m[1], m[2]]);
    expect(users(conf)).toEqual(ROLES.map((role) => [role, role.toUpperCase()]));
    expect(users(configMap.data["nats.conf"])).toEqual(users(conf));
  });

  it("mongo-init.js creates a user for every stateful service, on its own database", () => {
    const script = fs.readFileSync(path.join(ROOT, "k8s/mongo-init.js"), "utf8");
    const listed = JSON.parse(/const services = (\[[^\]]*\]);/.exec(script)![1]) as string[];
    expect(listed.sort()).toEqual([...STATEFUL].sort());
    expect(script).toMatch(/roles: \[\{ role: "readWrite", db: name \}\]/);
  });
});
