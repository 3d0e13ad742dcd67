import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import { UnavailableError } from "../../lib/errors.js";

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string | number>;
  body?: Buffer | Readable;
  /** Follow 307/302/301/303 (blob GETs are redirected to storage by some registries). */
  followRedirects?: boolean;
  /** TLS verification; false for insecure registries. */
  verifyTls?: boolean;
  /** Give up when the socket is idle this long (connect included). */
  timeoutMs?: number;
}

/** A failure worth retrying: the network broke, the registry stalled or answered 5xx. */
export class TransientError extends UnavailableError {}

/**
 * One HTTP(S) request on node's http/https, answering the raw response
 * (callers stream or read it). Network failures become UnavailableError
 * with the method and URL in the message, the way dockerd words them.
 */
export function httpRequest(req: HttpRequest, redirects = 5): Promise<IncomingMessage> {
  const mod = req.url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const r = mod.request(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.url.protocol === "https:" ? { rejectUnauthorized: req.verifyTls !== false } : {}),
    }, (res) => {
      const status = res.statusCode ?? 0;
      if (req.followRedirects && [301, 302, 303, 307, 308].includes(status) && res.headers.location && redirects > 0) {
        res.resume();
        const next = new URL(res.headers.location, req.url);
        // Storage redirects must not carry the registry's credentials to another host.
        const headers = { ...req.headers };
        if (next.host !== req.url.host) delete headers.Authorization;
        httpRequest({ ...req, url: next, headers, method: status === 303 ? "GET" : req.method }, redirects - 1).then(resolve, reject);
        return;
      }
      resolve(res);
    });
    if (req.timeoutMs) r.setTimeout(req.timeoutMs, () => r.destroy(new Error("i/o timeout")));
    r.on("error", (err) => reject(new TransientError(goNetError(req.method, req.url, err), { cause: err })));
    if (req.body === undefined) r.end();
    else if (Buffer.isBuffer(req.body)) r.end(req.body);
    else {
      const body = req.body;
      body.on("error", (err) => r.destroy(err));
      // A request that fails mid-upload must not leave its source (an open blob file) behind.
      r.on("close", () => {
        if (!body.readableEnded && !body.destroyed) body.destroy();
      });
      body.pipe(r);
    }
  });
}

export async function readAll(res: IncomingMessage, limit = 64 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res) {
    n += (c as Buffer).length;
    if (n > limit) {
      res.destroy();
      throw new UnavailableError(`response from ${res.url ?? "registry"} is larger than ${limit} bytes`);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}


/** Node's network errors in the words of Go's net/http, which docker users know: `Get "URL": dial tcp …`. */
export function goNetError(method: string, url: URL, err: unknown): string {
  const e = ((err as { cause?: unknown }).cause ?? err) as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  const verb = method.charAt(0) + method.slice(1).toLowerCase();
  let why = e.message;
  if (e.code === "ECONNREFUSED") why = `dial tcp ${e.address}:${e.port}: connect: connection refused`;
  else if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") why = `dial tcp: lookup ${e.hostname ?? url.hostname}: no such host`;
  else if (e.code === "EPROTO" || e.code === "ERR_SSL_WRONG_VERSION_NUMBER" || /wrong version number/.test(e.message)) why = "http: server gave HTTP response to HTTPS client";
  return `${verb} "${url.href}": ${why}`;
}
