import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";

/**
 * Every Kubernetes manifest in k8s/ validates against the Kubernetes API
 * schemas (kubernetes-models), the kustomization lists exactly those files,
 * and the manifests hang together: selectors match pod labels, probes and
 * Services name ports the containers declare, every referenced ConfigMap or
 * Secret key exists.
 */
const K8S = path.resolve(__dirname, "../../k8s");

interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

type ModelClass = new (data: object) => { validate(): void };

function modelFor(apiVersion: string, kind: string): ModelClass {
  // kubernetes-models lays its classes out as <group>/<version>/<Kind>; the core group is "v1".
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, ModelClass>;
  return mod[kind];
}

function readManifests(): Manifest[] {
  return fs
    .readdirSync(K8S)
    .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
    .flatMap((file) =>
      parseAllDocuments(fs.readFileSync(path.join(K8S, file), "utf8")).map((doc) => {
        if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
        return { file, ...(doc.toJSON() as Omit<Manifest, "file">) };
      }),
    );
}

/** Each Secret kustomize generates, with its keys (read from the committed example of its env file). */
function generatedSecrets(): Map<string, string[]> {
  const kustomization = parseAllDocuments(fs.readFileSync(path.join(K8S, "kustomization.yaml"), "utf8"))[0].toJSON();
  return new Map(
    (kustomization.secretGenerator as { name: string; envs: string[] }[]).map((secret) => [
      secret.name,
      secret.envs.flatMap((env) =>
        fs
          .readFileSync(path.join(K8S, `${env}.example`), "utf8")
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l && !l.startsWith("#"))
          .map((l) => l.slice(0, l.indexOf("="))),
      ),
    ]),
  );
}

interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { port: string | number } };
  readinessProbe?: { httpGet?: { port: string | number; path: string } };
  resources?: { requests?: object; limits?: object };
}

interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[]; terminationGracePeriodSeconds?: number };
}

const workloads = (ms: Manifest[]) => ms.filter((m) => m.kind === "Deployment" || m.kind === "StatefulSet");
const template = (m: Manifest) => (m.spec as { template: PodTemplate }).template;

describe("k8s manifests", () => {
  const manifests = readManifests();

  it("validate against the Kubernetes schemas", () => {
    expect(manifests.length).toBeGreaterThan(10);
    for (const m of manifests) {
      const Model = modelFor(m.apiVersion, m.kind);
      const { file: _file, ...data } = m;
      expect(() => new Model(data).validate()).not.toThrow();
    }
  });

  it("the validator rejects a broken manifest (so the test above means something)", () => {
    const deployment = manifests.find((m) => m.kind === "Deployment")!;
    const { file: _file, ...data } = deployment;
    const broken = { ...data, spec: { ...deployment.spec, replicas: "two" } };
    expect(() => new (modelFor("apps/v1", "Deployment"))(broken).validate()).toThrow();
  });

  it("kustomization.yaml lists every manifest file and generates the Secrets the pods use", () => {
    const kustomization = parseAllDocuments(fs.readFileSync(path.join(K8S, "kustomization.yaml"), "utf8"))[0].toJSON();
    const files = [...new Set(manifests.map((m) => m.file))].sort();
    expect([...kustomization.resources].sort()).toEqual(files);
    for (const secret of kustomization.secretGenerator)
      expect(secret).toMatchObject({
        name: expect.stringMatching(/-secrets$/),
        envs: [expect.stringMatching(/^secrets\//)],
      });
  });

  it("has a Deployment per Agora service with probes, resources and graceful termination", () => {
    const services = ["api", "catalog", "inventory", "users", "cart", "orders", "payments", "notifications"];
    for (const name of services) {
      const d = manifests.find((m) => m.kind === "Deployment" && m.metadata.name === name);
      expect(d).toBeDefined();
      const pod = template(d!);
      const [c] = pod.spec.containers;
      // The gateway's pods also serve the storefront's pages (web needs its JWT_SECRET).
      expect(c.env).toContainEqual({ name: "SERVICES", value: name === "api" ? "api,web" : name });
      expect(c.resources?.requests).toBeDefined();
      expect(c.resources?.limits).toBeDefined();
      expect(c.livenessProbe?.httpGet).toBeDefined();
      expect(c.readinessProbe?.httpGet?.path).toBe("/readyz");
      expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(15);
    }
    const hpas = manifests.filter((m) => m.kind === "HorizontalPodAutoscaler").map((m) => m.metadata.name);
    expect(hpas.sort()).toEqual(["api", "catalog"]);
    expect(manifests.some((m) => m.kind === "Ingress")).toBe(true);
    const mongo = manifests.find((m) => m.kind === "StatefulSet" && m.metadata.name === "mongo");
    expect((mongo?.spec as { volumeClaimTemplates?: unknown[] }).volumeClaimTemplates).toHaveLength(1);
  });

  it("selectors, ports and references are consistent", () => {
    const configMaps = new Map(manifests.filter((m) => m.kind === "ConfigMap").map((m) => [m.metadata.name, m]));
    const secrets = generatedSecrets();
    for (const w of workloads(manifests)) {
      const pod = template(w);
      const selector = (w.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
      expect(pod.metadata.labels).toMatchObject(selector);
      for (const c of pod.spec.containers) {
        const portNames = (c.ports ?? []).map((p) => p.name);
        for (const probe of [c.livenessProbe, c.readinessProbe]) {
          const port = probe?.httpGet?.port;
          if (typeof port === "string") expect(portNames).toContain(port);
        }
        for (const from of c.envFrom ?? []) {
          if (from.configMapRef) expect(configMaps.has(from.configMapRef.name)).toBe(true);
          if (from.secretRef) expect(secrets.has(from.secretRef.name)).toBe(true);
        }
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref)
            expect({ secret: ref.name, hasKey: !!secrets.get(ref.name)?.includes(ref.key) }).toEqual({
              secret: ref.name,
              hasKey: true,
            });
        }
      }
    }
    for (const svc of manifests.filter((m) => m.kind === "Service")) {
      const spec = svc.spec as { selector: Record<string, string>; ports: { targetPort?: string | number }[] };
      const target = workloads(manifests).find((w) =>
        Object.entries(spec.selector).every(([k, v]) => template(w).metadata.labels[k] === v),
      );
      expect({ service: svc.metadata.name, found: !!target }).toEqual({ service: svc.metadata.name, found: true });
      const portNames = template(target!).spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
      for (const p of spec.ports) if (typeof p.targetPort === "string") expect(portNames).toContain(p.targetPort);
    }
  });
});
