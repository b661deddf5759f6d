import { call } from "../../../contracts";
import { SESSION_COOKIE } from "../domain/cookies";
import { safeNext } from "../domain/failure";
import { loginView, registerView } from "../pages/account";
import type { Reply, WebRequest } from "../request";

type Fields = { email?: string; password?: string; name?: string; next?: string };

const FIELD_PROBLEMS: Record<string, string> = {
  email: "Enter a valid email address.",
  password: "The password needs 8 to 128 characters.",
  name: "Enter your name (up to 100 characters).",
};

/** A validation error's fields, in words for people. */
function problemsOf(err: unknown): string[] {
  const data = (err as { data?: unknown }).data;
  if (!Array.isArray(data)) return ["Please check what you entered."];
  const fields = [...new Set(data.map((d: { field?: string }) => String(d.field ?? "").split(".")[0]))];
  return fields.map((f) => FIELD_PROBLEMS[f] ?? "Please check what you entered.");
}

function startSession(req: WebRequest<unknown>, token: string, to: string): Reply {
  req.setCookie(SESSION_COOKIE, token);
  return { redirect: to };
}

export async function loginForm(req: WebRequest<{ next?: string }>): Promise<Reply> {
  if (req.user) return { redirect: safeNext(req.params.next) };
  return { view: loginView(req.chrome, { next: safeNext(req.params.next) }) };
}

export async function login(req: WebRequest<Fields>): Promise<Reply> {
  const email = (req.params.email ?? "").trim();
  const password = req.params.password ?? "";
  const next = safeNext(req.params.next);
  if (!email || !password) {
    return { view: loginView(req.chrome, { email, next }, ["Enter your email and password."], 422) };
  }
  try {
    const { token } = await call(req.ctx, "users.login", { email, password });
    return startSession(req, token, next);
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (code === 401 || code === 422) {
      return { view: loginView(req.chrome, { email, next }, ["The email or password is wrong."], 401) };
    }
    throw err;
  }
}

export async function registerForm(req: WebRequest<Record<string, never>>): Promise<Reply> {
  if (req.user) return { redirect: "/" };
  return { view: registerView(req.chrome) };
}

export async function register(req: WebRequest<Fields>): Promise<Reply> {
  const form = { email: (req.params.email ?? "").trim(), name: (req.params.name ?? "").trim() };
  try {
    const { token } = await call(req.ctx, "users.register", { ...form, password: req.params.password ?? "" });
    req.notify("welcome");
    return startSession(req, token, "/");
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (code === 409) {
      return {
        view: registerView(req.chrome, form, ["An account with this email exists already. Log in instead."], 409),
      };
    }
    if (code === 422) return { view: registerView(req.chrome, form, problemsOf(err), 422) };
    throw err;
  }
}

export async function logout(req: WebRequest<unknown>): Promise<Reply> {
  req.setCookie(SESSION_COOKIE, "", { maxAge: 0 });
  req.notify("signed-out");
  return { redirect: "/" };
}
