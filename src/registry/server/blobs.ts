import { errors } from "./registry-error.js";
import { send, type Exchange } from "./exchange.js";

/** GET/HEAD /v2/<name>/blobs/<digest>, with single-range requests (206). */
export async function getBlob(x: Exchange, digest: string): Promise<void> {
  const size = await x.storage.repoBlobSize(x.repo, digest);
  if (size === undefined) throw errors.blobUnknown(digest);
  const base = { "Docker-Content-Digest": digest, "Content-Type": "application/octet-stream", "Accept-Ranges": "bytes", ETag: `"${digest}"` };
  const range = parseRange(x.req.headers.range, size);
  if (range === "invalid") return send(x, 416, { ...base, "Content-Range": `bytes */${size}` });
  const status = range ? 206 : 200;
  const headers = { ...base, "Content-Length": range ? range.end - range.start + 1 : size, ...(range ? { "Content-Range": `bytes ${range.start}-${range.end}/${size}` } : {}) };
  x.res.writeHead(status, { "Docker-Distribution-API-Version": "registry/2.0", ...headers });
  if (x.req.method === "HEAD" || size === 0) return void x.res.end();
  await new Promise<void>((resolve, reject) => {
    const s = x.storage.readBlob(digest, range ?? undefined);
    s.on("error", reject);
    x.res.on("close", resolve);
    s.pipe(x.res);
  });
}

/** DELETE /v2/<name>/blobs/<digest>: unlink from the repository (garbage-collect frees the bytes). */
export async function deleteBlob(x: Exchange, digest: string): Promise<void> {
  if (!(await x.storage.unlinkBlob(x.repo, digest))) throw errors.blobUnknown(digest);
  send(x, 202, { "Content-Length": 0 });
}

function parseRange(h: string | undefined, size: number): { start: number; end: number } | "invalid" | undefined {
  if (!h) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(h.trim());
  if (!m || (m[1] === "" && m[2] === "")) return "invalid";
  let start: number;
  let end: number;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "invalid";
  return { start, end };
}
