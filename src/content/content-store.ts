import type { Readable } from "node:stream";
import type { Lease } from "../metadata/leases.js";
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
 * during ingest throws InvalidArgumentError and stores nothing; a full disk
 * throws DiskFullError naming the blob, and leaves no partial file.
 *
 * With a lease, the blob is held (see metadata/leases.ts) before it becomes
 * visible under its digest, so a concurrent collection never removes it.
 */
export interface ContentProvider {
  has(digest: string): Promise<boolean>;
  /** Filesystem path of a blob (it may not exist; check with `has`). */
  path(digest: string): string;
  read(digest: string): Promise<Buffer>;
}

export interface ContentIngester {
  put(data: Buffer | string, lease?: Lease): Promise<BlobInfo>;
  /** `what` names the blob in errors ("the layer of container …"). */
  ingest(stream: Readable, expectedDigest?: string, lease?: Lease, what?: string): Promise<BlobInfo>;
}

export interface ContentStore extends ContentProvider, ContentIngester {
  /** Remove a blob; a missing blob is not an error. */
  delete(digest: string): Promise<void>;
  /** Every stored blob's digest (for the garbage collector). */
  list(): Promise<Digest[]>;
  /** Delete partial writes no ingest is working on (left by a crash); returns the bytes freed. */
  sweepIngests(): Promise<number>;
}

export interface BlobInfo {
  digest: Digest;
  size: number;
}

/** A blob being written in pieces (see LocalContentStore.writer); commit or abort it. */
export interface BlobWriter {
  /** Bytes written so far. */
  readonly offset: number;
  write(chunk: Buffer): Promise<void>;
  /** Drop what was written and start again from 0. */
  truncate(): Promise<void>;
  /** sha256 of what was written so far. */
  digest(): Digest;
  /** Verify against `expected` (InvalidArgumentError, nothing stored, on a mismatch) and make the blob visible. */
  commit(expected: string, lease?: Lease): Promise<BlobInfo>;
  abort(): Promise<void>;
}
