import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { variables } from "../../platform/config";

/**
 * The environment the images and manifests set is the environment the app
 * reads: no variable set that nothing reads (a typo such as HEARTBEAT_TIMOUT
 * would silently keep the default), and every variable a production node
 * needs is set in both compose and Kubernetes.
 */
const ROOT = path.resolve(__dirname, "../..");

/** Names the app reads: the declarations in platform/config, the only place that reads process.env. */
function variablesTheAppReads(): Set<string> {
  return new Set<string>([
    ...Object.keys(variables),
    // Written by moleculer.config.ts and read by moleculer-runner itself, not by our sources.
    "SERVICEDIR",
  ]);
}

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

const ROLES = ["api", "catalog", "inventory", "users", "cart", "orders", "payments", "notifications"];

/** The secrets of one Agora role (compose: docker/secrets, Kubernetes: k8s/secrets). */
const roleSecrets = (dir: "docker" | "k8s", role: string) => envFile(`${dir}/secrets/${role}.env.example`);

/** What every production Agora node needs to join the cluster; plus MONGO_URI (stateful) or JWT_SECRET (api, users). */
const REQUIRED = ["NODE_ENV", "TRANSPORTER", "NATS_USER", "NATS_PASSWORD", "HEALTH_PORT"];
const requiredFor = (role: string) => [
  ...REQUIRED,
  ...(role === "api" ? [] : ["MONGO_URI"]),
  ...(role === "api" || role === "users" ? ["JWT_SECRET"] : []),
];

function dockerfileEnv(): Record<string, string> {
  const text = fs.readFileSync(path.join(ROOT, "docker/Dockerfile"), "utf8").replace(/\\\n/g, " ");
  const runtime = text.slice(text.lastIndexOf("\nFROM "));
  const env: Record<string, string> = {};
  for (const line of runtime.split("\n").filter((l) => l.startsWith("ENV "))) {
    for (const m of line.slice(4).matchAll(/([A-Z][A-Z0-9_]*)=(\S+)/g)) env[m[1]] = m[2];
  }
  return env;
}

interface K8sContainer {
  env?: { name: string; value?: string }[];
  envFrom?: unknown[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet?: { port: string } };
}

function k8sAgoraContainers(): K8sContainer[] {
  return fs
    .readdirSync(path.join(ROOT, "k8s"))
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(ROOT, "k8s", f), "utf8")).map((d) => d.toJSON()))
    .filter((m) => m?.kind === "Deployment")
    .flatMap((m) => m.spec.template.spec.containers as (K8sContainer & { image: string })[])
    .filter((c) => c.image.startsWith("agora"));
}

function k8sConfigMap(): Record<string, string> {
  const doc = parseAllDocuments(fs.readFileSync(path.join(ROOT, "k8s/configmap.yaml"), "utf8"))[0].toJSON();
  return doc.data;
}

describe("environment of images and manifests", () => {
  const reads = variablesTheAppReads();

  it("the declarations include the variables a production node needs", () => {
    for (const name of ["NAMESPACE", "NODE_ID", "TRANSPORTER", "NATS_USER", "MONGO_URI", "DATA_DIR", "JWT_SECRET"]) {
      expect(reads).toContain(name);
    }
  });

  const sources: [string, () => Record<string, string>][] = [
    ["docker/Dockerfile (ENV)", dockerfileEnv],
    ["docker/agora.env", () => envFile("docker/agora.env")],
    ...ROLES.map((role): [string, () => Record<string, string>] => [
      `docker/secrets/${role}.env.example`,
      () => roleSecrets("docker", role),
    ]),
    ["k8s/configmap.yaml", k8sConfigMap],
    ...ROLES.map((role): [string, () => Record<string, string>] => [
      `k8s/secrets/${role}.env.example`,
      () => roleSecrets("k8s", role),
    ]),
    [
      "k8s Deployments (env)",
      () => Object.fromEntries(k8sAgoraContainers().flatMap((c) => (c.env ?? []).map((e) => [e.name, e.value ?? ""]))),
    ],
  ];

  it.each(sources)("%s sets only variables the app reads", (_name, load) => {
    const unknown = Object.keys(load()).filter((name) => !reads.has(name));
    expect(unknown).toEqual([]);
  });

  it.each(ROLES)("compose gives every %s node what production requires", (role) => {
    const env = { ...dockerfileEnv(), ...envFile("docker/agora.env"), ...roleSecrets("docker", role) };
    for (const name of requiredFor(role)) expect({ name, set: !!env[name] }).toEqual({ name, set: true });
    expect(env.NODE_ENV).toBe("production");
    if (env.JWT_SECRET) expect(env.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    if (env.MONGO_URI) expect(env.MONGO_URI).toMatch(/^mongodb:\/\/.*@mongo:27017\//);
  });

  it("Kubernetes gives every pod what production requires, probes on HEALTH_PORT", () => {
    for (const role of ROLES) {
      const own = { ...dockerfileEnv(), ...k8sConfigMap(), ...roleSecrets("k8s", role) };
      for (const name of requiredFor(role)) expect({ role, name, set: !!own[name] }).toEqual({ role, name, set: true });
    }
    const env = { ...dockerfileEnv(), ...k8sConfigMap() };
    const containers = k8sAgoraContainers();
    expect(containers.length).toBeGreaterThanOrEqual(8);
    for (const c of containers) {
      expect(c.envFrom).toHaveLength(2);
      const health = c.ports?.find((p) => p.name === c.readinessProbe?.httpGet?.port);
      expect(health?.containerPort).toBe(Number(env.HEALTH_PORT));
      expect(c.ports?.find((p) => p.name === "metrics")?.containerPort).toBe(Number(env.METRICS_PORT));
    }
  });

  it.each([
    ["compose", () => envFile("docker/agora.env")],
    ["Kubernetes", k8sConfigMap],
  ])("%s: REQUEST_TIMEOUT outlasts dropping a crashed node, so waiting calls fail over", (_name, load) => {
    const env = load();
    const dropWithinMs = (2 * Number(env.HEARTBEAT_TIMEOUT) + Number(env.HEARTBEAT_INTERVAL)) * 1000;
    expect(Number(env.REQUEST_TIMEOUT)).toBeGreaterThan(dropWithinMs);
  });

  it("compose and Kubernetes agree with each other on the shared settings", () => {
    const compose = envFile("docker/agora.env");
    const k8s = k8sConfigMap();
    for (const name of ["NODE_ENV", "NAMESPACE", "TRANSPORTER", "HEALTH_PORT", "METRICS_PORT", "JAEGER_ENDPOINT"]) {
      expect({ name, value: k8s[name] }).toEqual({ name, value: compose[name] });
    }
    for (const role of ROLES)
      expect({ role, keys: Object.keys(roleSecrets("k8s", role)).sort() }).toEqual({
        role,
        keys: Object.keys(roleSecrets("docker", role)).sort(),
      });
  });
});
