import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { InvalidArgumentError, NotFoundError } from "../lib/errors.js";
import { writeFileAtomic } from "../lib/atomic-file.js";
import type { BlobInfo, ContentStore } from "./content-store.js";
import { digestHex, parseDigest, sha256Digest, type Digest } from "./digest.js";

/**
 * ContentStore on the local filesystem in OCI image-layout form:
 * `<root>/blobs/sha256/<hex>` plus an `oci-layout` marker file. Partial
 * writes live under `<root>/ingest/` and are renamed into place only once
 * verified, so a crash never leaves a torn blob under a digest name.
 */
export class LocalContentStore implements ContentStore {
  private ready: Promise<void> | undefined;

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

  async put(data: Buffer | string): Promise<BlobInfo> {
    await this.init();
    const buf = typeof data === "string" ? Buffer.from(data) : data;
    const digest = sha256Digest(buf);
    const info = { digest, size: buf.length };
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
      throw err;
    }
    return info;
  }

  async ingest(stream: Readable, expectedDigest?: string): Promise<BlobInfo> {
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
        await fh.close();
      }
      const digest: Digest = `sha256:${hash.digest("hex")}`;
      if (expectedDigest !== undefined && digest !== expectedDigest) {
        throw new InvalidArgumentError(`digest mismatch: expected ${expectedDigest}, got ${digest}`);
      }
      await fs.rename(tmp, this.path(digest));
      return { digest, size };
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }

  async delete(digest: string): Promise<void> {
    await fs.rm(this.path(digest), { force: true });
  }

  private tempPath(): string {
    return path.join(this.root, "ingest", `${Date.now()}-${randomBytes(6).toString("hex")}`);
  }
}
