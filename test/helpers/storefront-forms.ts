/**
 * A storefront visitor without a browser: its cookies (form nonce, session)
 * and the form token the pages embed, for tests that post the shop's forms
 * over plain HTTP.
 */
export interface Visitor {
  /** The Cookie header to send. */
  cookie: string;
  /** The `_csrf` value the pages embed for this visitor. */
  csrf: string;
}

function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return out;
}

const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");

/** A fresh visitor; signed in when credentials are given (through the login form, as a browser does). */
export async function visitor(baseUrl: string, login?: { email: string; password: string }): Promise<Visitor> {
  const page = await fetch(`${baseUrl}/login`);
  const html = await page.text();
  const jar = cookiesOf(page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error("no form token on /login");
  if (login) {
    const res = await fetch(`${baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
      body: new URLSearchParams({ ...login, _csrf: csrf }).toString(),
    });
    if (res.status !== 303) throw new Error(`login answered ${res.status}`);
    Object.assign(jar, cookiesOf(res));
    if (!jar.agora_session) throw new Error("no session cookie after login");
  }
  return { cookie: cookieHeader(jar), csrf };
}
