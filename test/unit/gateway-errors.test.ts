import { checkAccess } from "../../platform/security/check-access";
import { publicError } from "../../platform/gateway/public-error";

describe("gateway access rules", () => {
  const customer = { id: "u1", email: "c@example.com", role: "customer" as const };
  const admin = { id: "a1", email: "a@example.com", role: "admin" as const };

  it("lets anyone call public actions", () => {
    expect(() => checkAccess("public", null)).not.toThrow();
  });

  it("denies actions that declare no level, whoever calls", () => {
    for (const caller of [null, customer, admin]) {
      expect(() => checkAccess(undefined, caller)).toThrow(expect.objectContaining({ code: 403 }));
    }
  });

  it("requires a caller for customer actions and an admin for admin actions", () => {
    expect(() => checkAccess("customer", null)).toThrow(expect.objectContaining({ code: 401 }));
    expect(() => checkAccess("customer", customer)).not.toThrow();
    expect(() => checkAccess("customer", admin)).not.toThrow();
    expect(() => checkAccess("admin", null)).toThrow(expect.objectContaining({ code: 401 }));
    expect(() => checkAccess("admin", customer)).toThrow(expect.objectContaining({ code: 403 }));
    expect(() => checkAccess("admin", admin)).not.toThrow();
  });
});

describe("public error bodies", () => {
  it("keeps client errors but drops echoed input values", () => {
    const body = publicError({
      name: "ValidationError",
      message: "Parameters validation error!",
      code: 422,
      type: "VALIDATION_ERROR",
      data: [{ type: "string", field: "password", actual: "hunter2", message: "bad" }],
    });
    expect(body).toEqual({
      name: "ValidationError",
      message: "Parameters validation error!",
      code: 422,
      type: "VALIDATION_ERROR",
      data: [{ type: "string", field: "password", message: "bad" }],
    });
    expect(JSON.stringify(body)).not.toContain("hunter2");
  });

  it("hides the details of server errors", () => {
    const body = publicError({ name: "TypeError", message: "Cannot read x of undefined at /srv/a.js", data: { x: 1 } });
    expect(body).toEqual({
      name: "InternalServerError",
      message: "Internal Server Error",
      code: 500,
      type: "INTERNAL_SERVER_ERROR",
    });
    expect(publicError({ name: "ServiceNotAvailableError", message: "node-7 gone", code: 503 })).toMatchObject({
      code: 503,
      message: "Service Unavailable",
    });
  });
});
