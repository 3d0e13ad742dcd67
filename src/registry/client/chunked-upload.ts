import type { IncomingMessage } from "node:http";
import { registryError, type RepositoryClient } from "./repository.js";

export interface ChunkedUploadOptions {
  /** Bytes per PATCH; raised to the registry's OCI-Chunk-Min-Length when it asks for more. */
  chunkSize: number;
  /** Called with the number of bytes the registry has acknowledged. */
  onProgress?(uploaded: number): void;
  /** How many times a failed chunk is retried from where the registry says the upload stands. */
  retries?: number;
}

/**
 * A chunked blob upload (distribution spec "chunked upload"): POST opens a
 * session, each PATCH carries `Content-Range: start-end`, the closing PUT
 * names the digest. A chunk that fails (network error, 416, 5xx) is not
 * fatal: the upload's status (GET on its Location) says how many bytes the
 * registry holds and the upload resumes from there, which is why the
 * source is read by offset rather than streamed.
 */
export async function uploadChunked(
  repo: RepositoryClient, digest: string, size: number, read: (offset: number, length: number) => Promise<Buffer>, opts: ChunkedUploadOptions,
): Promise<void> {
  const start = await repo.call("POST", repo.url(`${repo.repo}/blobs/uploads/`), { headers: { "Content-Length": 0 } });
  start.resume();
  if (start.statusCode !== 202 || !start.headers.location) throw await registryError(start, `blob upload for ${digest}`);
  let location = new URL(start.headers.location, repo.endpoint.base);
  const minChunk = Number(start.headers["oci-chunk-min-length"] ?? 0) || 0;
  const chunkSize = Math.max(opts.chunkSize, minChunk);
  let offset = 0;
  let retriesLeft = opts.retries ?? 3;
  while (offset < size) {
    const chunk = await read(offset, Math.min(chunkSize, size - offset));
    let res: IncomingMessage | undefined;
    let failure: Error | undefined;
    try {
      res = await repo.call("PATCH", location, {
        body: chunk,
        headers: { "Content-Type": "application/octet-stream", "Content-Length": chunk.length, "Content-Range": `${offset}-${offset + chunk.length - 1}` },
      });
    } catch (err) {
      failure = err as Error; // the connection broke: ask the registry what arrived
    }
    if (res?.statusCode === 202) {
      res.resume();
      if (res.headers.location) location = new URL(res.headers.location, repo.endpoint.base);
      offset += chunk.length;
      opts.onProgress?.(offset);
      continue;
    }
    if (res) {
      failure = await registryError(res, `blob upload chunk for ${digest}`);
      // Only an out-of-order chunk or a server failure is worth resuming; 4xx answers are final.
      if (res.statusCode !== 416 && (res.statusCode ?? 0) < 500) throw failure;
    }
    if (retriesLeft-- <= 0) throw failure;
    ({ offset, location } = await uploadStatus(repo, location, digest));
  }
  location.searchParams.set("digest", digest);
  const fin = await repo.call("PUT", location, { headers: { "Content-Length": 0 } });
  fin.resume();
  if (fin.statusCode !== 201) throw await registryError(fin, `blob upload for ${digest}`);
}

/** GET on an upload's Location: `Range: 0-N` means N+1 bytes are held. */
async function uploadStatus(repo: RepositoryClient, location: URL, digest: string): Promise<{ offset: number; location: URL }> {
  const res = await repo.call("GET", location);
  res.resume();
  if (res.statusCode !== 204 && res.statusCode !== 202) throw await registryError(res, `blob upload status for ${digest}`);
  const m = /^(?:bytes=)?0-(\d+)$/.exec(String(res.headers.range ?? ""));
  return {
    offset: m ? Number(m[1]) + 1 : 0,
    location: res.headers.location ? new URL(res.headers.location, repo.endpoint.base) : location,
  };
}
