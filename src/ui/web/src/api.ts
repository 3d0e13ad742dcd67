// Calls to the Engine API through the dashboard (`/api/...`): the daemon
// forwards them to its own API router. Actions carry the CSRF token.

let csrf = "";
let onUnauthorized: () => void = () => undefined;

export function setSession(token: string, lost: () => void): void {
  csrf = token;
  onUnauthorized = lost;
}

export function csrfToken(): string {
  return csrf;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, q?: Query): string {
  if (!q) return path;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== false) p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

/** Encode one path segment (a container name, an image reference keeps its slashes and colons). */
export function seg(s: string): string {
  return encodeURIComponent(s).replace(/%2F/gi, "/").replace(/%3A/gi, ":");
}

async function failure(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { message?: string };
    if (body.message) message = body.message;
  } catch {
    /* not JSON */
  }
  if (res.status === 401) onUnauthorized();
  return new ApiError(res.status, message);
}

export async function request(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = {};
  if (method !== "GET" && method !== "HEAD") headers["X-Wharf-Csrf"] = csrf;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin", signal });
  if (!res.ok && res.status !== 304) throw await failure(res);
  return res;
}

export async function get<T>(path: string, q?: Query, signal?: AbortSignal): Promise<T> {
  return (await request("GET", withQuery(path, q), undefined, signal)).json() as Promise<T>;
}

export async function post<T = unknown>(path: string, q?: Query, body?: unknown): Promise<T> {
  const res = await request("POST", withQuery(path, q), body);
  const text = await res.text();
  return (text.trim() ? JSON.parse(text) : undefined) as T;
}

export async function del<T = unknown>(path: string, q?: Query): Promise<T> {
  const res = await request("DELETE", withQuery(path, q));
  const text = await res.text();
  return (text.trim() ? JSON.parse(text) : undefined) as T;
}

/** A streamed answer of JSON messages (pull progress, finite event lists): each one as it arrives. */
export async function streamJson(method: string, path: string, each: (m: Record<string, any>) => void, signal?: AbortSignal): Promise<void> {
  const res = await request(method, path, undefined, signal);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const lines = (rest + value).split("\n");
    rest = lines.pop() ?? "";
    for (const l of lines) if (l.trim()) each(JSON.parse(l));
  }
  if (rest.trim()) each(JSON.parse(rest));
}
