import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { readJsonIfExists, writeFileAtomic, writeJsonAtomic } from "../../lib/atomic-file.js";
import { errors } from "./registry-error.js";

export interface UploadState {
  uuid: string;
  repo: string;
  size: number;
  started: string;
}

/**
 * The registry's filesystem storage, laid out so every visible state is
 * complete: blobs are renamed into `blobs/sha256/<hex>` only after their
 * digest is checked; uploads accumulate in `uploads/<uuid>/data` and
 * survive restarts (resumable); repository membership is one link file per
 * blob or manifest; tags are files holding a digest, written atomically.
 *
 *   blobs/sha256/<hex>
 *   repositories/<name>/_layers/<hex>                  (empty: blob linked into repo)
 *   repositories/<name>/_manifests/<hex>               (media type of the manifest)
 *   repositories/<name>/_tags/<tag>                    (the manifest digest)
 *   repositories/<name>/_referrers/<subject hex>/<hex> (descriptor JSON)
 *   uploads/<uuid>/{data,state.json}
 *
 * The per-repository directories start with "_", which no repository path
 * component can (as in distribution's layout), so `team/tags` is a valid name.
 */
export class RegistryStorage {
  constructor(readonly root: string) {}

  async init(): Promise<void> {
    for (const d of ["blobs/sha256", "repositories", "uploads"]) await fs.mkdir(path.join(this.root, d), { recursive: true });
  }

  blobPath(digest: string): string {
    return path.join(this.root, "blobs", "sha256", digest.slice(7));
  }

  repoDir(repo: string): string {
    return path.join(this.root, "repositories", repo);
  }

  async blobSize(digest: string): Promise<number | undefined> {
    try {
      return (await fs.stat(this.blobPath(digest))).size;
    } catch {
      return undefined;
    }
  }

  /** Size of a blob when it is linked into `repo` (registries scope blobs to repositories). */
  async repoBlobSize(repo: string, digest: string): Promise<number | undefined> {
    const linked = (await exists(path.join(this.repoDir(repo), "_layers", digest.slice(7)))) || (await exists(path.join(this.repoDir(repo), "_manifests", digest.slice(7))));
    return linked ? this.blobSize(digest) : undefined;
  }

  async linkBlob(repo: string, digest: string): Promise<void> {
    const dir = path.join(this.repoDir(repo), "_layers");
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, digest.slice(7)), "");
  }

  async unlinkBlob(repo: string, digest: string): Promise<boolean> {
    try {
      await fs.unlink(path.join(this.repoDir(repo), "_layers", digest.slice(7)));
      return true;
    } catch {
      return false;
    }
  }

  readBlob(digest: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.blobPath(digest), range ? { start: range.start, end: range.end } : {});
  }

  /** Store bytes whose digest is known (manifests); verified. */
  async putBlob(data: Buffer): Promise<string> {
    const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
    if ((await this.blobSize(digest)) === undefined) await writeFileAtomic(this.blobPath(digest), data);
    return digest;
  }

  // --- uploads ---

  async startUpload(repo: string): Promise<UploadState> {
    const st: UploadState = { uuid: randomUUID(), repo, size: 0, started: new Date().toISOString() };
    const dir = this.uploadDir(st.uuid);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, "data"), "");
    await writeJsonAtomic(path.join(dir, "state.json"), st);
    return st;
  }

  async upload(repo: string, uuid: string): Promise<UploadState> {
    if (!/^[0-9a-f-]{36}$/.test(uuid)) throw errors.uploadUnknown();
    const st = await readJsonIfExists<UploadState>(path.join(this.uploadDir(uuid), "state.json"));
    if (!st || st.repo !== repo) throw errors.uploadUnknown();
    // The data file is the truth after a crash mid-append.
    st.size = (await fs.stat(path.join(this.uploadDir(uuid), "data"))).size;
    return st;
  }

  /** Append a chunk; `offset` (from Content-Range) must equal the current size. */
  async appendUpload(st: UploadState, body: Readable, offset?: number): Promise<UploadState> {
    if (offset !== undefined && offset !== st.size) {
      body.resume();
      throw errors.rangeInvalid();
    }
    await pipeline(body, createWriteStream(path.join(this.uploadDir(st.uuid), "data"), { flags: "a" }));
    st.size = (await fs.stat(path.join(this.uploadDir(st.uuid), "data"))).size;
    await writeJsonAtomic(path.join(this.uploadDir(st.uuid), "state.json"), st);
    return st;
  }

  /** Verify the upload against `digest`, move it into blobs and link it into the repository. */
  async finishUpload(st: UploadState, digest: string): Promise<void> {
    const data = path.join(this.uploadDir(st.uuid), "data");
    const hash = createHash("sha256");
    await pipeline(createReadStream(data), async function* (src) {
      for await (const c of src) hash.update(c as Buffer);
    });
    const got = `sha256:${hash.digest("hex")}`;
    if (got !== digest) throw errors.digestInvalid(`expected ${digest}, got ${got}`);
    const fh = await fs.open(data, "r");
    await fh.sync();
    await fh.close();
    await fs.rename(data, this.blobPath(digest));
    await this.linkBlob(st.repo, digest);
    await this.cancelUpload(st.uuid);
  }

  async cancelUpload(uuid: string): Promise<void> {
    await fs.rm(this.uploadDir(uuid), { recursive: true, force: true });
  }

  private uploadDir(uuid: string): string {
    return path.join(this.root, "uploads", uuid);
  }

  // --- manifests and tags ---

  async putManifest(repo: string, body: Buffer, mediaType: string, tag?: string): Promise<string> {
    const digest = await this.putBlob(body);
    const dir = path.join(this.repoDir(repo), "_manifests");
    await fs.mkdir(dir, { recursive: true });
    await writeFileAtomic(path.join(dir, digest.slice(7)), mediaType);
    if (tag) {
      await fs.mkdir(path.join(this.repoDir(repo), "_tags"), { recursive: true });
      await writeFileAtomic(path.join(this.repoDir(repo), "_tags", tag), digest);
    }
    return digest;
  }

  async resolveTag(repo: string, tag: string): Promise<string | undefined> {
    try {
      return (await fs.readFile(path.join(this.repoDir(repo), "_tags", tag), "utf8")).trim();
    } catch {
      return undefined;
    }
  }

  /** Media type of a manifest linked into `repo`, or undefined. */
  async manifestType(repo: string, digest: string): Promise<string | undefined> {
    try {
      return await fs.readFile(path.join(this.repoDir(repo), "_manifests", digest.slice(7)), "utf8");
    } catch {
      return undefined;
    }
  }

  async deleteManifest(repo: string, digest: string): Promise<boolean> {
    const file = path.join(this.repoDir(repo), "_manifests", digest.slice(7));
    if (!(await exists(file))) return false;
    await fs.rm(file);
    for (const t of await this.tags(repo)) if ((await this.resolveTag(repo, t)) === digest) await fs.rm(path.join(this.repoDir(repo), "_tags", t), { force: true });
    return true;
  }

  async deleteTag(repo: string, tag: string): Promise<boolean> {
    try {
      await fs.unlink(path.join(this.repoDir(repo), "_tags", tag));
      return true;
    } catch {
      return false;
    }
  }

  async tags(repo: string): Promise<string[]> {
    return (await readdirOrEmpty(path.join(this.repoDir(repo), "_tags"))).sort();
  }

  async manifests(repo: string): Promise<string[]> {
    return (await readdirOrEmpty(path.join(this.repoDir(repo), "_manifests"))).map((h) => `sha256:${h}`);
  }

  /** A repository exists once something was linked or tagged in it (a parent directory of one is not). */
  async repoExists(repo: string): Promise<boolean> {
    const entries = await readdirOrEmpty(this.repoDir(repo));
    return entries.includes("_manifests") || entries.includes("_layers") || entries.includes("_tags");
  }

  /** Every repository name, sorted (a directory with a _manifests/, _layers/ or _tags/ child is a repository). */
  async repositories(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (rel: string) => {
      const entries = await readdirOrEmpty(path.join(this.root, "repositories", rel));
      if (entries.includes("_manifests") || entries.includes("_layers") || entries.includes("_tags")) out.push(rel);
      for (const e of entries) {
        if (["_manifests", "_layers", "_tags", "_referrers"].includes(e)) continue;
        await walk(rel ? `${rel}/${e}` : e);
      }
    };
    await walk("");
    return out.sort();
  }

  async addReferrer(repo: string, subject: string, descriptor: Record<string, unknown>): Promise<void> {
    const dir = path.join(this.repoDir(repo), "_referrers", subject.slice(7));
    await fs.mkdir(dir, { recursive: true });
    await writeJsonAtomic(path.join(dir, String(descriptor.digest).slice(7)), descriptor);
  }

  async referrers(repo: string, subject: string): Promise<Record<string, unknown>[]> {
    const dir = path.join(this.repoDir(repo), "_referrers", subject.slice(7));
    const out: Record<string, unknown>[] = [];
    for (const f of await readdirOrEmpty(dir)) {
      const d = await readJsonIfExists<Record<string, unknown>>(path.join(dir, f));
      if (d && (await this.manifestType(repo, String(d.digest)))) out.push(d);
    }
    return out;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}
