import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { describeWriteError, InvalidArgumentError, NotFoundError } from "../lib/errors.js";
import { writeFileAtomic } from "../lib/atomic-file.js";
import { blobKey, type Lease } from "../metadata/leases.js";
import type { BlobInfo, BlobWriter, ContentStore } from "./content-store.js";
import { digestHex, isDigest, parseDigest, sha256Digest, type Digest } from "./digest.js";

/**
 * ContentStore on the local filesystem in OCI image-layout form:
 * `<root>/blobs/sha256/<hex>` plus an `oci-layout` marker file. Partial
 * writes live under `<root>/ingest/` and are renamed into place only once
 * verified, so a crash never leaves a torn blob under a digest name; the
 * ingest files a crash leaves are swept by the garbage collector.
 */
export class LocalContentStore implements ContentStore {
  private ready: Promise<void> | undefined;
  /** Names under ingest/ that a running put/ingest is writing. */
  private readonly active = new Set<string>();

  constructor(readonly root: string) {}

  private init(): Promise<void> {
    this.ready ??= (async () => {
      await fs.mkdir(path.join(this.root, "blobs", "sha256"), { recursive: true });
      await fs.mkdir(path.join(this.root, "ingest"), { recursive: true });
      const marker = path.join(this.root, "oci-layout");
      try {
        await fs.access(marker);
      } catch {
        await writeFileAtomic(marker, JSON.stringify({ imageLayoutVersion: "1.0.0" }));
      }
    })();
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  path(digest: string): string {
    return path.join(this.root, "blobs", "sha256", digestHex(parseDigest(digest)));
  }

  async has(digest: string): Promise<boolean> {
    try {
      await fs.access(this.path(digest));
      return true;
    } catch {
      return false;
    }
  }

  async read(digest: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.path(digest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new NotFoundError(`content ${digest}: not found`);
      throw err;
    }
  }

  async put(data: Buffer | string, lease?: Lease): Promise<BlobInfo> {
    await this.init();
    const buf = typeof data === "string" ? Buffer.from(data) : data;
    const digest = sha256Digest(buf);
    const info = { digest, size: buf.length };
    await lease?.hold(blobKey(digest));
    if (await this.has(digest)) return info;
    const tmp = this.tempPath();
    try {
      const fh = await fs.open(tmp, "w", 0o644);
      try {
        await fh.writeFile(buf);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, this.path(digest));
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw describeWriteError(err, `blob ${digest}`);
    } finally {
      this.active.delete(path.basename(tmp));
    }
    return info;
  }

  async ingest(stream: Readable, expectedDigest?: string, lease?: Lease, what?: string): Promise<BlobInfo> {
    if (expectedDigest !== undefined) parseDigest(expectedDigest);
    await this.init();
    const tmp = this.tempPath();
    const hash = createHash("sha256");
    let size = 0;
    try {
      const fh = await fs.open(tmp, "w", 0o644);
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          hash.update(chunk);
          size += chunk.length;
          await fh.write(chunk);
        }
        await fh.sync();
      } finally {
        // Closed on every path: a failed write must not keep a deleted file (and its space) open.
        await fh.close();
      }
      const digest: Digest = `sha256:${hash.digest("hex")}`;
      if (expectedDigest !== undefined && digest !== expectedDigest) {
        throw new InvalidArgumentError(`digest mismatch: expected ${expectedDigest}, got ${digest}`);
      }
      await lease?.hold(blobKey(digest));
      await fs.rename(tmp, this.path(digest));
      return { digest, size };
    } catch (err) {
      // Stop the producer too (a tee'd tar would otherwise block on this side forever).
      if (!stream.destroyed) stream.destroy();
      await fs.rm(tmp, { force: true });
      throw describeWriteError(err, what ?? `blob ${expectedDigest ?? "(being stored)"} in the content store`);
    } finally {
      this.active.delete(path.basename(tmp));
    }
  }

  /**
   * A blob written in pieces that can resume: `offset` says how much is
   * written, `write` appends, `truncate` starts over, `commit` verifies and
   * renames into place. Until commit or abort the file stays in ingest/ and
   * is never swept. Used by downloads that resume with an HTTP Range.
   */
  async writer(what: string): Promise<BlobWriter> {
    await this.init();
    const tmp = this.tempPath();
    const name = path.basename(tmp);
    let fh: FileHandle;
    try {
      fh = await fs.open(tmp, "w+", 0o644);
    } catch (err) {
      this.active.delete(name);
      throw describeWriteError(err, what);
    }
    let hash = createHash("sha256");
    let offset = 0;
    const done = async () => {
      await fh.close().catch(() => undefined);
      await fs.rm(tmp, { force: true });
      this.active.delete(name);
    };
    return {
      get offset() {
        return offset;
      },
      write: async (chunk: Buffer) => {
        try {
          await fh.write(chunk, 0, chunk.length, offset);
        } catch (err) {
          throw describeWriteError(err, what);
        }
        hash.update(chunk);
        offset += chunk.length;
      },
      truncate: async () => {
        await fh.truncate(0);
        hash = createHash("sha256");
        offset = 0;
      },
      digest: () => `sha256:${hash.copy().digest("hex")}` as Digest,
      commit: async (expected: string, lease?: Lease) => {
        const digest = `sha256:${hash.copy().digest("hex")}`;
        if (digest !== expected) throw new InvalidArgumentError(`digest mismatch: expected ${expected}, got ${digest}`);
        try {
          await fh.sync();
          await fh.close();
          await lease?.hold(blobKey(digest));
          await fs.rename(tmp, this.path(digest));
        } catch (err) {
          await done();
          throw describeWriteError(err, what);
        }
        this.active.delete(name);
        return { digest: digest as Digest, size: offset };
      },
      abort: done,
    };
  }

  async delete(digest: string): Promise<void> {
    await fs.rm(this.path(digest), { force: true });
  }

  async list(): Promise<Digest[]> {
    const names = await fs.readdir(path.join(this.root, "blobs", "sha256")).catch(() => [] as string[]);
    return names.map((n) => `sha256:${n}` as Digest).filter(isDigest);
  }

  async sweepIngests(): Promise<number> {
    const dir = path.join(this.root, "ingest");
    let freed = 0;
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      if (this.active.has(name)) continue;
      const st = await fs.lstat(path.join(dir, name)).catch(() => undefined);
      if (!st) continue;
      await fs.rm(path.join(dir, name), { recursive: true, force: true });
      freed += st.size;
    }
    return freed;
  }

  private tempPath(): string {
    const name = `${Date.now()}-${randomBytes(6).toString("hex")}`;
    this.active.add(name);
    return path.join(this.root, "ingest", name);
  }
}
