import type { Readable } from "node:stream";
import type { Digest } from "./digest.js";

/**
 * Content-addressed blob storage (manifests, configs, layer tars).
 *
 * Lifecycle: a blob enters through `put` (small, in memory) or `ingest`
 * (streamed). Either way it is hashed while written, verified against the
 * expected digest when one is given, fsynced and renamed into place, so a
 * blob is visible under its digest only when complete. After that it is
 * read through `has`/`path`/`read` until `delete`.
 *
 * Errors: reading a missing blob throws NotFoundError; a digest mismatch
 * during ingest throws InvalidArgumentError and stores nothing.
 */
export interface ContentProvider {
  has(digest: string): Promise<boolean>;
  /** Filesystem path of a blob (it may not exist; check with `has`). */
  path(digest: string): string;
  read(digest: string): Promise<Buffer>;
}

export interface ContentIngester {
  put(data: Buffer | string): Promise<BlobInfo>;
  ingest(stream: Readable, expectedDigest?: string): Promise<BlobInfo>;
}

export interface ContentStore extends ContentProvider, ContentIngester {
  /** Remove a blob; a missing blob is not an error. */
  delete(digest: string): Promise<void>;
}

export interface BlobInfo {
  digest: Digest;
  size: number;
}
