import type { IncomingMessage, ServerResponse } from "node:http";
import type { RegistryStorage } from "./storage.js";

/** One request to the registry: what every handler gets. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  storage: RegistryStorage;
  /** Repository name from the path (empty for /v2/ and the catalog). */
  repo: string;
}

export function send(x: Exchange, status: number, headers: Record<string, string | number> = {}, body?: Buffer | string): void {
  const buf = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
  x.res.writeHead(status, {
    "Docker-Distribution-API-Version": "registry/2.0",
    ...(buf && !("Content-Length" in headers) ? { "Content-Length": buf.length } : {}),
    ...headers,
  });
  if (x.req.method === "HEAD" || !buf) x.res.end();
  else x.res.end(buf);
}

export function sendJson(x: Exchange, status: number, value: unknown, headers: Record<string, string | number> = {}): void {
  send(x, status, { "Content-Type": "application/json", ...headers }, JSON.stringify(value));
}

/** Read a small body (manifests) with a bound. */
export async function readBody(req: IncomingMessage, limit = 4 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > limit) throw new Error("body too large");
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** `n` and `last` pagination over a sorted list, with the RFC 5988 Link header for the next page. */
export function paginate(x: Exchange, items: string[]): { page: string[]; headers: Record<string, string> } {
  const nRaw = x.url.searchParams.get("n");
  const last = x.url.searchParams.get("last");
  let list = last ? items.filter((i) => i > last) : items;
  const headers: Record<string, string> = {};
  if (nRaw !== null && nRaw !== "") {
    const n = Number(nRaw);
    if (!Number.isInteger(n) || n < 0) throw new Error("pagination");
    if (n === 0) return { page: [], headers };
    if (list.length > n) {
      list = list.slice(0, n);
      const next = new URL(x.url.pathname, "http://x");
      next.searchParams.set("n", String(n));
      if (list.length) next.searchParams.set("last", list[list.length - 1]);
      headers.Link = `<${next.pathname}${next.search}>; rel="next"`;
    } else list = list.slice(0, n);
  }
  return { page: list, headers };
}
