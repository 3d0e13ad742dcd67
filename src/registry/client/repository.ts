import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { ForbiddenError, NotFoundError, UnauthorizedError, UnavailableError } from "../../lib/errors.js";
import { sha256Digest } from "../../content/digest.js";
import { MANIFEST_ACCEPT } from "../../image/manifest.js";
import { authorize, parseChallenges, type AuthConfig } from "./auth.js";
import { httpRequest, readAll, TransientError } from "./http.js";
import type { Endpoint } from "./resolver.js";

interface CallOptions {
  headers?: Record<string, string | number>;
  body?: Buffer | Readable;
  followRedirects?: boolean;
}

/**
 * The distribution API for one repository on one endpoint. Authentication
 * is negotiated once up front (`ensureAuth`) so streamed uploads never need
 * a retry; a later 401 on a bufferable request re-authorizes once.
 */
export class RepositoryClient {
  private authHeader: string | undefined;
  private authed = false;

  constructor(
    readonly endpoint: Endpoint,
    /** Path inside the registry, e.g. "library/busybox" or "team/bb". */
    readonly repo: string,
    private readonly auth: AuthConfig | undefined,
    private readonly actions: string[],
    private readonly extraScopes: string[] = [],
  ) {}

  url(p: string): URL {
    return new URL(`/v2/${p}`, this.endpoint.base);
  }

  private get scopes(): string[] {
    return [`repository:${this.repo}:${this.actions.join(",")}`, ...this.extraScopes];
  }

  async ensureAuth(): Promise<void> {
    if (this.authed) return;
    const res = await this.raw("GET", new URL("/v2/", this.endpoint.base), {});
    res.resume();
    if (res.statusCode === 401) {
      this.authHeader = await authorize(parseChallenges(res.headers["www-authenticate"]), this.auth, this.scopes, !this.endpoint.insecure, this.endpoint.base.href);
    }
    this.authed = true;
  }

  private raw(method: string, url: URL, o: CallOptions): Promise<IncomingMessage> {
    const headers: Record<string, string | number> = { "User-Agent": "wharf/0.1 (docker-compatible)", ...o.headers };
    if (this.authHeader) headers.Authorization = this.authHeader;
    return httpRequest({ method, url, headers, body: o.body, followRedirects: o.followRedirects, verifyTls: !this.endpoint.insecure });
  }

  /** A request with auth; a 401 on a buffered request gets one re-authorized retry. */
  async call(method: string, url: URL, o: CallOptions = {}): Promise<IncomingMessage> {
    await this.ensureAuth();
    let res = await this.raw(method, url, o);
    if (res.statusCode === 401 && (o.body === undefined || Buffer.isBuffer(o.body))) {
      res.resume();
      this.authHeader = await authorize(parseChallenges(res.headers["www-authenticate"]), this.auth, this.scopes, !this.endpoint.insecure, this.endpoint.base.href);
      res = await this.raw(method, url, o);
    }
    return res;
  }

  /** GET a manifest by tag or digest; a digest reference is verified against the body. */
  async getManifest(ref: string, what: string): Promise<{ body: Buffer; mediaType: string; digest: string }> {
    const res = await this.call("GET", this.url(`${this.repo}/manifests/${ref}`), { headers: { Accept: MANIFEST_ACCEPT } });
    if (res.statusCode !== 200) throw await registryError(res, `manifest for ${what}`);
    const body = await readAll(res, 4 << 20);
    const digest = sha256Digest(body);
    if (ref.startsWith("sha256:") && digest !== ref) throw new UnavailableError(`manifest verification failed for digest ${ref}`);
    return { body, mediaType: String(res.headers["content-type"] ?? ""), digest };
  }

  /** GET a blob; with `from`, only the bytes from that offset on (Range): the answer is then 206, or 200 when the registry ignores ranges. */
  async getBlob(digest: string, from?: number): Promise<IncomingMessage> {
    const headers = from ? { Range: `bytes=${from}-` } : undefined;
    const res = await this.call("GET", this.url(`${this.repo}/blobs/${digest}`), { followRedirects: true, headers });
    if (res.statusCode !== 200 && !(from && res.statusCode === 206)) throw await registryError(res, `blob ${digest}`);
    return res;
  }

  async blobExists(digest: string): Promise<boolean> {
    const res = await this.call("HEAD", this.url(`${this.repo}/blobs/${digest}`), { followRedirects: true });
    res.resume();
    if (res.statusCode === 200) return true;
    if (res.statusCode === 404) return false;
    throw await registryError(res, `blob ${digest}`);
  }

  /** Cross-repository mount; false when the registry started an upload instead (then cancelled). */
  async mount(digest: string, from: string): Promise<boolean> {
    const url = this.url(`${this.repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`);
    const res = await this.call("POST", url, { headers: { "Content-Length": 0 } });
    res.resume();
    if (res.statusCode === 201) return true;
    if (res.statusCode === 202 && res.headers.location) {
      (await this.call("DELETE", new URL(res.headers.location, this.endpoint.base))).resume();
      return false;
    }
    return false;
  }

  /**
   * Upload a blob monolithically: POST to open a session, then one PUT
   * with the whole body and its digest. Large layers go through
   * `uploadChunked` (chunked-upload.ts) instead.
   */
  async upload(digest: string, size: number, body: Readable | (() => AsyncIterable<Buffer>)): Promise<void> {
    const start = await this.call("POST", this.url(`${this.repo}/blobs/uploads/`), { headers: { "Content-Length": 0 } });
    start.resume();
    if (start.statusCode !== 202 || !start.headers.location) throw await registryError(start, `blob upload for ${digest}`);
    const location = new URL(start.headers.location, this.endpoint.base);
    location.searchParams.set("digest", digest);
    const stream = typeof body === "function" ? (await import("node:stream")).Readable.from(body()) : body;
    const res = await this.call("PUT", location, { body: stream, headers: { "Content-Type": "application/octet-stream", "Content-Length": size } });
    if (res.statusCode !== 201) throw await registryError(res, `blob upload for ${digest}`);
    res.resume();
  }

  async putManifest(ref: string, body: Buffer, mediaType: string): Promise<void> {
    const res = await this.call("PUT", this.url(`${this.repo}/manifests/${ref}`), { body, headers: { "Content-Type": mediaType, "Content-Length": body.length } });
    if (res.statusCode !== 201) throw await registryError(res, `manifest ${ref}`);
    res.resume();
  }
}

/** A registry error answer as a domain error, with the registry's code and message like dockerd prints them. */
export async function registryError(res: IncomingMessage, what: string): Promise<Error> {
  let detail = "";
  try {
    const doc = JSON.parse((await readAll(res, 1 << 20)).toString("utf8")) as { errors?: { code?: string; message?: string }[] };
    const e = doc.errors?.[0];
    if (e) detail = `${(e.code ?? "").toLowerCase().replace(/_/g, " ")}: ${e.message ?? ""}`;
  } catch {
    /* not JSON */
  }
  const status = res.statusCode ?? 0;
  if (status === 404) return new NotFoundError(`${what} not found: ${detail || "not found"}`);
  if (status === 401) return new UnauthorizedError(`${what}: unauthorized: ${detail || "authentication required"}`);
  if (status === 403) return new ForbiddenError(`${what}: denied: ${detail || "requested access to the resource is denied"}`);
  const message = `${what}: unexpected status from registry: ${status} ${res.statusMessage ?? ""}${detail ? `: ${detail}` : ""}`;
  // A server error is worth another try (dockerd retries transfers on it); other answers are final.
  return status >= 500 ? new TransientError(message) : new UnavailableError(message);
}
