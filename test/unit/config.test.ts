import { config, ConfigError, declareVariables, loadConfig, variables } from "../../platform/config";
import { int } from "../../platform/config/variable";
import { ordersVariables } from "../../services/orders/orders.vars";
import { serviceVariables } from "../../services/variables";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("configuration parsing", () => {
  it("gives every declared variable its default on an empty environment", () => {
    const c = loadConfig({});
    expect(c.NODE_ENV).toBe("development");
    expect(c.REQUEST_TIMEOUT).toBe(10_000);
    expect(c.METRICS).toBe(true);
    expect(c.CORS_ORIGINS).toEqual([]);
    expect(c.TRANSPORTER).toBeUndefined();
    expect(Object.keys(c).sort()).toEqual(Object.keys(variables).sort());
  });

  it("chooses NODE_ENV-dependent defaults", () => {
    const dev = loadConfig({});
    const prod = loadConfig({ NODE_ENV: "production" });
    const test = loadConfig({ NODE_ENV: "test" });
    expect([dev.LOG_FORMAT, prod.LOG_FORMAT]).toEqual(["short", "json"]);
    expect([dev.METRICS_PORT, prod.METRICS_PORT]).toEqual([0, 3030]);
    expect([dev.HEALTH_PORT, prod.HEALTH_PORT]).toEqual([0, 3001]);
    expect([dev.STATUS_PAGE, prod.STATUS_PAGE]).toEqual(["public", "admin"]);
    expect([dev.DATA_DIR, test.DATA_DIR]).toEqual(["data", ":memory:"]);
    // A value set wins over the mode's default.
    expect(loadConfig({ NODE_ENV: "production", LOG_FORMAT: "short" }).LOG_FORMAT).toBe("short");
  });

  it("accepts exactly true/false/1/0/yes/no/on/off for a bool, and a typo is an error", () => {
    for (const raw of ["true", "1", "yes", "on", "TRUE", " On "])
      expect(loadConfig({ METRICS: raw }).METRICS).toBe(true);
    for (const raw of ["false", "0", "no", "off", "False"]) expect(loadConfig({ METRICS: raw }).METRICS).toBe(false);
    expect(problemsOf({ METRICS: "flase" })).toEqual(['METRICS="flase": accepts true/false/1/0/yes/no/on/off']);
    expect(problemsOf({ ACCESS_LOG: "y" })).toHaveLength(1);
  });

  it("rejects a malformed or out-of-range int, naming the variable and its range", () => {
    expect(loadConfig({ PORT: "8080" }).PORT).toBe(8080);
    expect(problemsOf({ PORT: "abc" })).toEqual(['PORT="abc": accepts a whole number from 0 to 65535']);
    expect(problemsOf({ PORT: "70000" })).toEqual(['PORT="70000": accepts a whole number from 0 to 65535']);
    expect(problemsOf({ REQUEST_TIMEOUT: "1.5" })[0]).toMatch(/^REQUEST_TIMEOUT="1.5": accepts a whole number/);
    expect(problemsOf({ HEALTH_PORT: "-1" })[0]).toMatch(/^HEALTH_PORT=/);
  });

  it("rejects a number outside its bounds", () => {
    expect(loadConfig({ TRACING_SAMPLE_RATE: "0.25" }).TRACING_SAMPLE_RATE).toBe(0.25);
    expect(problemsOf({ TRACING_SAMPLE_RATE: "2" })).toEqual(['TRACING_SAMPLE_RATE="2": accepts a number from 0 to 1']);
    expect(problemsOf({ TRACING_SAMPLE_RATE: "abc" })).toHaveLength(1);
  });

  it("accepts an enum's words in any case, its aliases, and nothing else", () => {
    expect(loadConfig({ STATUS_PAGE: "ADMIN" }).STATUS_PAGE).toBe("admin");
    expect(loadConfig({ STATUS_PAGE: "false" }).STATUS_PAGE).toBe("off");
    expect(problemsOf({ STATUS_PAGE: "private" })).toEqual([
      'STATUS_PAGE="private": accepts one of public, admin, off',
    ]);
    expect(problemsOf({ LOG_FORMAT: "xml" })[0]).toMatch(/^LOG_FORMAT=.*json, short/);
  });

  it("splits lists and treats an empty value as unset", () => {
    expect(loadConfig({ CORS_ORIGINS: " https://a.io, ,https://b.io" }).CORS_ORIGINS).toEqual([
      "https://a.io",
      "https://b.io",
    ]);
    expect(loadConfig({ PORT: "", NAMESPACE: "" })).toMatchObject({ PORT: 3000, NAMESPACE: "agora" });
  });

  it("reports every malformed variable at once", () => {
    expect(problemsOf({ METRICS: "flase", PORT: "abc", TRACING_SAMPLE_RATE: "2" }).map((p) => p.split("=")[0])).toEqual(
      ["PORT", "TRACING_SAMPLE_RATE", "METRICS"],
    );
  });

  it("the shared config follows process.env as tests change it, and is read-only", () => {
    const saved = process.env.REQUEST_TIMEOUT;
    process.env.REQUEST_TIMEOUT = "1234";
    try {
      expect(config.REQUEST_TIMEOUT).toBe(1234);
      expect(() => Object.assign(config, { REQUEST_TIMEOUT: 1 })).toThrow(TypeError);
    } finally {
      if (saved === undefined) delete process.env.REQUEST_TIMEOUT;
      else process.env.REQUEST_TIMEOUT = saved;
    }
    expect(config.REQUEST_TIMEOUT).toBe(saved === undefined ? 10_000 : Number(saved));
  });
});

describe("services' variables", () => {
  it("are declared next to their service and parsed with the platform's", () => {
    expect(Object.keys(variables)).toEqual(expect.arrayContaining(Object.keys(serviceVariables)));
    expect(ordersVariables.ORDERS_PENDING_TIMEOUT_MS).toBe(variables.ORDERS_PENDING_TIMEOUT_MS);
    expect(loadConfig({ ORDERS_PENDING_TIMEOUT_MS: "1500" }).ORDERS_PENDING_TIMEOUT_MS).toBe(1500);
    expect(problemsOf({ ORDERS_PENDING_TIMEOUT_MS: "soon", PORT: "abc" })).toHaveLength(2);
  });

  it("are declared once: the same declaration again changes nothing, another one for a declared name is an error", () => {
    const before = Object.keys(variables).length;
    declareVariables(serviceVariables);
    expect(Object.keys(variables)).toHaveLength(before);
    expect(() => declareVariables({ ORDERS_PENDING_TIMEOUT_MS: int({ default: 1, doc: "again" }) })).toThrow(
      "environment variable ORDERS_PENDING_TIMEOUT_MS is declared twice",
    );
  });
});
