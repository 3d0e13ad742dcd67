import { promises as fs } from "node:fs";
import path from "node:path";
import { NotFoundError } from "../lib/errors.js";
import { readJsonIfExists, writeJsonAtomic } from "../lib/atomic-file.js";
import type { Lease } from "../metadata/leases.js";
import type { ContentStore } from "../content/content-store.js";
import { digestHex, isDigest, type Digest } from "../content/digest.js";
import type { DockerImageConfig } from "./image-config.js";
import type { ImageRecord } from "./image-record.js";
import { familiarString, parseNormalizedReference, withDefaultTag, type Reference } from "./reference.js";
import { TagIndex } from "./tag-index.js";

const HEX_PREFIX_RE = /^(sha256:)?[0-9a-f]{1,64}$/;

/**
 * Image metadata under `<dataRoot>/image/`: one record per image
 * (`imagedb/<hex>.json`), the tag index (`repositories.json`), and the
 * config blobs in the content store. Layers belong to the snapshotter;
 * this store only names their chain IDs.
 *
 * All mutations go through one queue so concurrent API calls never
 * interleave their index writes. Reads are served from memory after `load`.
 */
export class ImageStore {
  private records = new Map<string, ImageRecord>();
  private readonly tags: TagIndex;
  private loaded: Promise<void> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly root: string, private readonly content: ContentStore) {
    this.tags = new TagIndex(path.join(root, "repositories.json"));
  }

  load(): Promise<void> {
    this.loaded ??= (async () => {
      const dir = path.join(this.root, "imagedb");
      await fs.mkdir(dir, { recursive: true });
      for (const name of await fs.readdir(dir)) {
        if (!/^[0-9a-f]{64}\.json$/.test(name)) continue;
        const file = path.join(dir, name);
        const rec = await readJsonIfExists<ImageRecord>(file).catch(() => undefined);
        // A record whose config blob is missing is an image whose removal a crash interrupted.
        if (rec && (await this.content.has(rec.id))) this.records.set(rec.id, rec);
        else await fs.rm(file, { force: true });
      }
      await this.tags.load();
      await this.tags.retain((id) => this.records.has(id));
    })();
    return this.loaded;
  }

  /** Serialise a mutation after every earlier one. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => this.load()).then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  list(): ImageRecord[] {
    return [...this.records.values()];
  }

  get(id: string): ImageRecord | undefined {
    return this.records.get(id);
  }

  refsOf(id: string): Reference[] {
    return this.tags.refsOf(id);
  }

  /** Store a config blob and its record; an image that already exists is returned unchanged. */
  async create(configJson: Buffer, chainIds: Digest[], size: number, lease?: Lease): Promise<ImageRecord> {
    await this.load();
    const { digest } = await this.content.put(configJson, lease);
    const existing = this.records.get(digest);
    if (existing) return existing;
    const config = JSON.parse(configJson.toString("utf8")) as DockerImageConfig;
    const rec: ImageRecord = {
      id: digest,
      chainIds,
      size,
      created: config.created ?? new Date(0).toISOString(),
      parent: config.parent ?? "",
    };
    await writeJsonAtomic(this.recordPath(digest), rec);
    this.records.set(digest, rec);
    return rec;
  }

  async config(id: string): Promise<DockerImageConfig> {
    return JSON.parse((await this.content.read(id)).toString("utf8")) as DockerImageConfig;
  }

  /** Point a reference at an image (replacing what it named before) and stamp LastTagTime. */
  async tag(ref: Reference, id: Digest): Promise<string | undefined> {
    const rec = this.records.get(id);
    if (!rec) throw new NotFoundError(`No such image: ${id}`);
    const before = await this.tags.set(ref, id);
    await this.update({ ...rec, lastTagTime: new Date().toISOString() });
    return before;
  }

  untag(ref: Reference): Promise<boolean> {
    return this.tags.delete(ref);
  }

  /**
   * Forget an image: its record, then its references (a crash in between
   * leaves references to a missing image, which `load` drops). The config
   * blob and layers are left to the garbage collector.
   */
  async delete(id: string): Promise<void> {
    await fs.rm(this.recordPath(id), { force: true });
    this.records.delete(id);
    await this.tags.deleteAllFor(id);
  }

  /** Content digests the images reference: configs and manifests (digest references). */
  referencedBlobs(): string[] {
    const out: string[] = [];
    for (const rec of this.records.values()) {
      out.push(rec.id);
      for (const r of this.tags.refsOf(rec.id)) if (r.digest !== undefined) out.push(r.digest);
    }
    return out;
  }

  async update(rec: ImageRecord): Promise<void> {
    await writeJsonAtomic(this.recordPath(rec.id), rec);
    this.records.set(rec.id, rec);
  }

  /**
   * Find an image the way the docker daemon does: a full `sha256:` ID or 64
   * hex digits; otherwise a reference (tag, default `latest`, or digest);
   * failing that, a unique prefix of an image ID. A parse error of a
   * non-ID string is an InvalidArgumentError; nothing found is NotFoundError
   * ("No such image: busybox:latest").
   */
  async resolve(refOrId: string): Promise<{ record: ImageRecord; ref?: Reference }> {
    await this.load();
    const byFullId = /^[0-9a-f]{64}$/.test(refOrId) ? `sha256:${refOrId}` : refOrId;
    if (isDigest(byFullId)) {
      const rec = this.records.get(byFullId);
      if (rec) return { record: rec };
      throw new NotFoundError(`No such image: ${byFullId}`);
    }
    let ref: Reference | undefined;
    try {
      ref = withDefaultTag(parseNormalizedReference(refOrId));
    } catch (err) {
      // A short ID with an uppercase letter or an odd shape is still worth an ID search.
      if (!HEX_PREFIX_RE.test(refOrId)) throw err;
    }
    if (ref) {
      const id = this.lookupRef(ref);
      const rec = id ? this.records.get(id) : undefined;
      if (rec) return { record: rec, ref };
    }
    const rec = this.searchPrefix(refOrId);
    if (rec) return { record: rec };
    throw new NotFoundError(`No such image: ${ref ? familiarString(ref) : refOrId}`);
  }

  private lookupRef(ref: Reference): string | undefined {
    if (ref.digest !== undefined) {
      // name:tag@digest resolves by digest alone, as in Docker.
      const byDigest = this.tags.get({ domain: ref.domain, path: ref.path, digest: ref.digest });
      if (byDigest) return byDigest;
      // A digest that is the image ID itself (images that were never pushed have no manifest digest).
      return this.records.has(ref.digest) ? ref.digest : undefined;
    }
    return this.tags.get(ref);
  }

  /** A unique image-ID prefix, with or without `sha256:`; ambiguity counts as not found, like Docker. */
  private searchPrefix(s: string): ImageRecord | undefined {
    if (!HEX_PREFIX_RE.test(s)) return undefined;
    const hex = digestHex(s);
    let found: ImageRecord | undefined;
    for (const rec of this.records.values()) {
      if (!digestHex(rec.id).startsWith(hex)) continue;
      if (found) return undefined;
      found = rec;
    }
    return found;
  }

  private recordPath(id: string): string {
    return path.join(this.root, "imagedb", `${digestHex(id)}.json`);
  }
}
