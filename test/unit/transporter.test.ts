import { transporterFromEnv } from "../../platform/config/transporter";

describe("transporterFromEnv", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it("is none without TRANSPORTER: one process", () => {
    delete process.env.TRANSPORTER;
    expect(transporterFromEnv()).toBeNull();
  });

  it("builds NATS options that reconnect forever and carry credentials outside the URL", () => {
    process.env.TRANSPORTER = "nats://n1:4222,nats://n2:4222";
    process.env.NATS_USER = "agora";
    process.env.NATS_PASSWORD = "s3cret";
    process.env.NATS_RECONNECT_WAIT = "500";
    const t = transporterFromEnv("node-1") as { type: string; options: Record<string, unknown> };
    expect(t.type).toBe("NATS");
    expect(t.options).toMatchObject({
      servers: ["n1:4222", "n2:4222"],
      name: "node-1",
      user: "agora",
      pass: "s3cret",
      maxReconnectAttempts: -1,
      waitOnFirstConnect: true,
      reconnectTimeWait: 500,
      maxPingOut: 3,
    });
    expect(t.options.token).toBeUndefined();
    // Moleculer would re-parse a `url` option and drop user/pass on the way.
    expect(t.options.url).toBeUndefined();
  });

  it("takes credentials from the URL when the variables are not set", () => {
    process.env.TRANSPORTER = "nats://app:p%40ss@n1:4222";
    delete process.env.NATS_USER;
    delete process.env.NATS_PASSWORD;
    const t = transporterFromEnv() as unknown as { options: Record<string, unknown> };
    expect(t.options).toMatchObject({ servers: ["n1:4222"], user: "app", pass: "p@ss" });
  });

  it("uses a token when given one", () => {
    process.env.TRANSPORTER = "nats://n1:4222";
    process.env.NATS_TOKEN = "tok";
    const t = transporterFromEnv() as unknown as { options: Record<string, unknown> };
    expect(t.options.token).toBe("tok");
    expect(t.options.user).toBeUndefined();
  });

  it("passes other transporter URLs to Moleculer as they are", () => {
    process.env.TRANSPORTER = "redis://localhost:6379";
    expect(transporterFromEnv()).toBe("redis://localhost:6379");
  });
});
