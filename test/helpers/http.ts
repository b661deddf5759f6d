/** A small JSON client for the gateway: real HTTP, parsed body, status and headers. */
export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (for malformed bodies); overrides `body`. */
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
  /** "manual" to see a redirect's own status (the storefront's pages answer 303s). */
  redirect?: "follow" | "manual";
}

export async function request<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(baseUrl + path, { method, headers, body, redirect: opts.redirect });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export const get = <T = unknown>(baseUrl: string, path: string, opts?: RequestOptions) =>
  request<T>(baseUrl, "GET", path, opts);
