import type { IncomingMessage } from "node:http";
import { UnauthorizedError } from "../../lib/errors.js";
import { httpRequest, readAll } from "./http.js";

/** What the client sent in X-Registry-Auth (or POST /auth): docker's AuthConfig. */
export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parse `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` (several challenges allowed). */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const out: Challenge[] = [];
  for (const h of Array.isArray(header) ? header : header ? [header] : []) {
    const re = /([A-Za-z]+)\s+((?:[A-Za-z0-9_-]+=(?:"(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?\s*)*)/g;
    for (let m = re.exec(h); m; m = re.exec(h)) {
      const params: Record<string, string> = {};
      for (const p of m[2].matchAll(/([A-Za-z0-9_-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, "$1") : p[3];
      out.push({ scheme: m[1].toLowerCase(), params });
    }
  }
  return out;
}

/** username/password from an AuthConfig (its `auth` field is base64 "user:pass"). */
export function credentialsOf(a: AuthConfig | undefined): { username: string; password: string } | undefined {
  if (!a) return undefined;
  if (a.username || a.password) return { username: a.username ?? "", password: a.password ?? "" };
  if (a.auth) {
    const s = Buffer.from(a.auth, "base64").toString("utf8");
    const i = s.indexOf(":");
    if (i > 0) return { username: s.slice(0, i), password: s.slice(i + 1) };
  }
  return undefined;
}

/**
 * Answer a 401 challenge: Basic → the credentials; Bearer → a token from the
 * realm (GET with service and scopes, credentials as Basic when we have
 * them, or an identity token as refresh_token via POST). Returns the
 * Authorization header value to retry with.
 */
export async function authorize(challenges: Challenge[], auth: AuthConfig | undefined, scopes: string[], verifyTls: boolean, registryUrl: string): Promise<string> {
  const creds = credentialsOf(auth);
  const bearer = challenges.find((c) => c.scheme === "bearer");
  if (bearer?.params.realm) return `Bearer ${await fetchToken(bearer, auth, creds, scopes, verifyTls)}`;
  if (challenges.some((c) => c.scheme === "basic")) {
    if (!creds) throw new UnauthorizedError(`${registryUrl}: no basic auth credentials`);
    return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`;
  }
  throw new UnauthorizedError(`${registryUrl}: unsupported authentication challenge`);
}

async function fetchToken(ch: Challenge, auth: AuthConfig | undefined, creds: { username: string; password: string } | undefined, scopes: string[], verifyTls: boolean): Promise<string> {
  if (auth?.registrytoken) return auth.registrytoken;
  const url = new URL(ch.params.realm);
  if (ch.params.service) url.searchParams.set("service", ch.params.service);
  const wanted = scopes.length ? scopes : ch.params.scope ? ch.params.scope.split(" ") : [];
  for (const s of wanted) url.searchParams.append("scope", s);
  let res: IncomingMessage;
  if (auth?.identitytoken) {
    const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: auth.identitytoken, service: ch.params.service ?? "", client_id: "wharf", scope: wanted.join(" ") });
    const body = Buffer.from(form.toString());
    res = await httpRequest({ method: "POST", url: new URL(ch.params.realm), verifyTls, body, headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": body.length } });
  } else {
    const headers: Record<string, string> = {};
    if (creds) headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`;
    res = await httpRequest({ method: "GET", url, headers, verifyTls });
  }
  const body = await readAll(res, 1 << 20);
  if (res.statusCode !== 200) {
    throw new UnauthorizedError(`failed to fetch token from ${url.origin}${url.pathname}: ${res.statusCode} ${res.statusMessage ?? ""}`.trim());
  }
  const doc = JSON.parse(body.toString("utf8")) as { token?: string; access_token?: string };
  const token = doc.access_token ?? doc.token;
  if (!token) throw new UnauthorizedError(`token server ${url.origin} answered without a token`);
  return token;
}
