// Logging in: the daemon printed a URL with `#token=…`; the page trades the
// token for a session cookie and forgets it (it never reaches a server log
// or the history).

export interface SessionInfo {
  csrf: string;
  via: string;
  who: string;
}

export async function login(token: string): Promise<string | undefined> {
  const res = await fetch("/ui/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token }), credentials: "same-origin" });
  if (res.ok) return undefined;
  return ((await res.json().catch(() => ({}))) as { message?: string }).message ?? `login failed (${res.status})`;
}

export async function session(): Promise<SessionInfo | undefined> {
  const res = await fetch("/ui/session", { credentials: "same-origin" });
  return res.ok ? ((await res.json()) as SessionInfo) : undefined;
}

export async function logout(csrf: string): Promise<void> {
  await fetch("/ui/logout", { method: "POST", headers: { "X-Wharf-Csrf": csrf }, credentials: "same-origin" });
}

/** The token in the URL fragment, removed from the address bar. */
export function takeTokenFromUrl(): string | undefined {
  const m = /^#token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (!m) return undefined;
  history.replaceState(null, "", location.pathname + "#/containers");
  return m[1];
}
