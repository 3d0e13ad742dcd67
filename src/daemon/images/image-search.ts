import type { IncomingMessage } from "node:http";
import { goNetError } from "../../registry/client/http.js";
import { InvalidArgumentError } from "../../lib/errors.js";
import type { Filters } from "../../lib/filters.js";
import { authorize, credentialsOf, parseChallenges, type AuthConfig } from "../../registry/client/auth.js";
import { httpRequest, readAll } from "../../registry/client/http.js";
import { isInsecure, type RegistryOptions } from "../../registry/client/resolver.js";

/** Engine API `ImageSearchResponseItem`. */
export interface SearchResult {
  star_count: number;
  is_official: boolean;
  name: string;
  is_automated: boolean;
  description: string;
}

const INDEX_NAME = "docker.io";
const INDEX_SERVER = "https://index.docker.io/v1/";
const DEFAULT_LIMIT = 25;
const ACCEPTED_FILTERS = ["is-automated", "is-official", "stars"];
/** An index that does not answer within this long is reported, not waited for. */
const TIMEOUT_MS = 15_000;

/**
 * `GET /images/search`: dockerd's search against a registry *index* (the
 * legacy v1 `/v1/search?q=&n=` API). `HOST[:PORT]/TERM` searches that
 * registry (pinged at `/v1/_ping` over https, then http when it is
 * insecure or loopback); any other term goes to Docker Hub's index.
 * Filters (`is-official`, `stars`, deprecated `is-automated`) apply to the
 * answer. Network failures are plain errors (500) worded as dockerd's.
 */
export async function searchImages(term: string, limit: number | undefined, filters: Filters, auth: AuthConfig | undefined, opts: RegistryOptions): Promise<SearchResult[]> {
  for (const key of filters.keys()) if (!ACCEPTED_FILTERS.includes(key)) throw new InvalidArgumentError(`Invalid filter '${key}'`);
  const isOfficial = boolFilter(filters, "is-official");
  // "is-automated" is deprecated and always false: asking for true finds nothing (as dockerd ≥ 25).
  if (boolFilter(filters, "is-automated")) return [];
  let minStars = 0;
  for (const s of filters.get("stars") ?? []) {
    const n = /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`Invalid filter 'stars=${s}'`);
    minStars = Math.max(minStars, n);
  }
  const n = limit === undefined || limit === 0 ? DEFAULT_LIMIT : limit;
  if (n < 1 || n > 100) throw new InvalidArgumentError(`Limit ${n} is outside the range of [1, 100]`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(term)) throw new InvalidArgumentError(`Invalid repository name (ex: "registry.domain.tld/myrepos")`);

  let [indexName, remoteName] = splitSearchTerm(term);
  if (indexName === INDEX_NAME) remoteName = remoteName.replace(/^library\//, "");
  const endpoint = indexName === INDEX_NAME ? new URL(INDEX_SERVER) : await v1Endpoint(indexName, opts);
  const insecure = endpoint.href !== INDEX_SERVER && isInsecure(indexName, opts.insecureRegistries);
  const url = new URL(`${endpoint.href}search?q=${encodeURIComponent(remoteName)}&n=${n}`);
  const results = (await query(url, auth, !insecure)).filter((r) => {
    if (isOfficial !== undefined && r.is_official !== isOfficial) return false;
    return (r.star_count ?? 0) >= minStars;
  });
  return results.map((r) => ({
    star_count: r.star_count ?? 0, is_official: !!r.is_official, name: r.name, is_automated: false, description: r.description ?? "",
  }));
}

/** Docker's split: the first component is a registry only when it looks like a host ("." or ":" or localhost). */
export function splitSearchTerm(term: string): [string, string] {
  const i = term.indexOf("/");
  if (i < 0) return [INDEX_NAME, term];
  const first = term.slice(0, i);
  if (!first.includes(".") && !first.includes(":") && first !== "localhost") return [INDEX_NAME, term];
  return [first, term.slice(i + 1)];
}

function boolFilter(filters: Filters, key: string): boolean | undefined {
  const values = filters.get(key);
  if (!values?.length) return undefined;
  const v = values[values.length - 1].toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw new InvalidArgumentError(`Invalid filter '${key}=[${values.join(" ")}]'`);
}

/** The v1 root of a registry that answers `/v1/_ping`: https first; http too when the registry is insecure. */
async function v1Endpoint(indexName: string, opts: RegistryOptions): Promise<URL> {
  const insecure = isInsecure(indexName, opts.insecureRegistries);
  const https = new URL(`https://${indexName}/v1/`);
  const httpsErr = await ping(https, !insecure);
  if (!httpsErr) return https;
  if (!insecure) {
    throw new Error(
      `invalid registry endpoint ${https.href}: ${httpsErr}. If this private registry supports only HTTP or HTTPS with an unknown CA certificate, please add \`--insecure-registry ${indexName}\` to the daemon's arguments. In the case of HTTPS, if you have access to the registry's CA certificate, no need for the flag; simply place the CA certificate at /etc/docker/certs.d/${indexName}/ca.crt`,
    );
  }
  const http = new URL(`http://${indexName}/v1/`);
  const httpErr = await ping(http, false);
  if (!httpErr) return http;
  throw new Error(`invalid registry endpoint "${http.href}". HTTPS attempt: ${httpsErr}. HTTP attempt: ${httpErr}`);
}

/** undefined when the endpoint answered at all (any status, as dockerd), else the error text. */
async function ping(base: URL, verifyTls: boolean): Promise<string | undefined> {
  const url = new URL("_ping", base);
  try {
    const res = await httpRequest({ method: "GET", url, verifyTls, timeoutMs: TIMEOUT_MS });
    res.resume();
    // A TLS port that is really plain HTTP answers 400 to the handshake bytes.
    if (url.protocol === "https:" && res.statusCode === 400) return `Get "${url.href}": http: server gave HTTP response to HTTPS client`;
    return undefined;
  } catch (err) {
    return goNetError("GET", url, err);
  }
}

interface RawResult { name: string; description?: string; star_count?: number; is_official?: boolean }

/** GET the search URL: Basic credentials when we have them (dockerd's v1 transport), a bearer token when challenged. */
async function query(url: URL, auth: AuthConfig | undefined, verifyTls: boolean): Promise<RawResult[]> {
  const creds = credentialsOf(auth);
  const headers: Record<string, string> = { "X-Docker-Token": "true", "User-Agent": "wharf/0.1 (docker-compatible)" };
  if (creds?.username) headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`;
  let res = await send(url, headers, verifyTls);
  if (res.statusCode === 401 && parseChallenges(res.headers["www-authenticate"]).some((c) => c.scheme === "bearer")) {
    res.resume();
    headers.Authorization = await authorize(parseChallenges(res.headers["www-authenticate"]), auth, ["registry:catalog:search"], verifyTls, url.origin);
    res = await send(url, headers, verifyTls);
  }
  const body = await readAll(res, 8 << 20);
  if (res.statusCode !== 200) throw new Error(`Unexpected status code ${res.statusCode}`);
  try {
    const doc = JSON.parse(body.toString("utf8")) as { results?: RawResult[] };
    return (doc.results ?? []).filter((r) => r && typeof r.name === "string");
  } catch (err) {
    throw new Error(`error decoding registry search results: ${(err as Error).message}`);
  }
}

async function send(url: URL, headers: Record<string, string>, verifyTls: boolean): Promise<IncomingMessage> {
  try {
    return await httpRequest({ method: "GET", url, headers, verifyTls, followRedirects: true, timeoutMs: TIMEOUT_MS });
  } catch (err) {
    throw new Error(goNetError("GET", url, err), { cause: err });
  }
}

