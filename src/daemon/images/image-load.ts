import { createReadStream, promises as fs } from "node:fs";
import path from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { extract as extractTar } from "tar";
import { InvalidArgumentError } from "../../lib/errors.js";
import { sha256Digest, type Digest } from "../../content/digest.js";
import { AutoDecompress } from "../../snapshot/decompress.js";
import type { DockerImageConfig } from "../../image/image-config.js";
import { familiarString, parseNormalizedReference, withDefaultTag } from "../../image/reference.js";
import type { DistributionDeps } from "./distribution-deps.js";
import type { ProgressFn } from "./progress.js";
import type { Lease } from "../../metadata/leases.js";

interface ArchiveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/**
 * `docker load`: a docker-archive (manifest.json) or a bare OCI layout
 * (index.json), plain or compressed. The archive is unpacked to a scratch
 * dir first (its order is not ours to choose); every layer is checked
 * against the config's diffID while it is applied, and kept in the content
 * store so `save`/`push` give the same bytes back. Tags are set last.
 */
export async function loadImages(deps: DistributionDeps, input: Readable, progress: ProgressFn): Promise<void> {
  await deps.images.load();
  await fs.mkdir(deps.tmpDir, { recursive: true });
  const work = await fs.mkdtemp(path.join(deps.tmpDir, "load-"));
  try {
    // The request body is piped, not handed to pipeline: on a bad archive pipeline would destroy it
    // and the client, still sending, would never read the answer. It is drained instead.
    const body = new PassThrough();
    input.pipe(body);
    await pipeline(body, new AutoDecompress(), extractTar({ cwd: work, strict: true, preservePaths: false })).catch((err: NodeJS.ErrnoException) => {
      input.unpipe(body);
      input.resume();
      // node-tar's codes (TAR_BAD_ARCHIVE, TAR_ENTRY_INVALID, …): the input is not a readable tar.
      if (typeof err.code === "string" && err.code.startsWith("TAR_")) {
        throw new InvalidArgumentError("invalid archive: the input is not a tar archive made by docker save (archive/tar: invalid tar header)");
      }
      throw err;
    });
    const entries = await archiveEntries(work);
    // An archive may name one image in several entries (one per tag): each image and tag is loaded once.
    const seen = { ids: new Set<string>(), tags: new Set<string>() };
    for (const e of entries) {
      if (!e || typeof e.Config !== "string" || !Array.isArray(e.Layers)) throw new InvalidArgumentError("invalid archive: manifest.json entries need Config and Layers");
      await deps.leases.with((lease) => loadEntry(deps, work, e, lease, progress, seen));
    }
  } catch (err) {
    await deps.collect().catch(() => undefined); // layers of an image that failed to load
    throw err;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** One image of the archive; its layers and config are held by `lease` until it is recorded and tagged. */
async function loadEntry(deps: DistributionDeps, work: string, e: ArchiveEntry, lease: Lease, progress: ProgressFn, seen: { ids: Set<string>; tags: Set<string> }): Promise<void> {
  const configBody = await fs.readFile(inside(work, e.Config));
  const config = JSON.parse(configBody.toString("utf8")) as DockerImageConfig;
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== e.Layers.length) throw new InvalidArgumentError(`invalid archive: ${e.Config} names ${diffIds.length} layers, the manifest ${e.Layers.length}`);
  const chains: Digest[] = [];
  let size = 0;
  for (let i = 0; i < e.Layers.length; i++) {
    const file = inside(work, e.Layers[i]);
    const applied = await deps.snapshotter.applyLayer(chains[i - 1], createReadStream(file), { diffId: diffIds[i], lease });
    if (applied.diffId !== diffIds[i]) {
      throw new InvalidArgumentError(`invalid archive: layer ${e.Layers[i]} has diffID ${applied.diffId}, the config expects ${diffIds[i]}`);
    }
    chains.push(applied.chainId);
    size += applied.size;
    const blob = await deps.content.ingest(createReadStream(file), undefined, lease);
    await deps.layerBlobs.add(diffIds[i], { digest: blob.digest, mediaType: "application/octet-stream", size: blob.size });
  }
  const id = sha256Digest(configBody);
  const again = seen.ids.has(id);
  const tags = [...new Set((e.RepoTags ?? []).map((t) => familiarString(withDefaultTag(parseNormalizedReference(t)))))].filter((t) => !seen.tags.has(t));
  await deps.images.exclusive(async () => {
    if (!again) await deps.images.create(configBody, chains, size, lease);
    for (const t of tags) await deps.images.tag(withDefaultTag(parseNormalizedReference(t)), id);
  });
  if (tags.length === 0 && !again) progress({ stream: `Loaded image ID: ${id}\n` });
  for (const t of tags) progress({ stream: `Loaded image: ${t}\n` }), seen.tags.add(t);
  if (!again) deps.emit("load", id, tags.length ? { name: tags[0] } : {});
  seen.ids.add(id);
}

/** manifest.json entries, or the same read from an OCI index (tags from its ref-name annotations). */
async function archiveEntries(work: string): Promise<ArchiveEntry[]> {
  const manifestJson = await fs.readFile(path.join(work, "manifest.json"), "utf8").catch(() => undefined);
  if (manifestJson !== undefined) {
    try {
      const entries = JSON.parse(manifestJson) as unknown;
      if (Array.isArray(entries)) return entries as ArchiveEntry[];
    } catch {
      /* reported below */
    }
    throw new InvalidArgumentError("invalid archive: manifest.json is not a JSON list of images");
  }
  const indexJson = await fs.readFile(path.join(work, "index.json"), "utf8").catch(() => undefined);
  if (indexJson === undefined) throw new InvalidArgumentError("invalid archive: neither manifest.json nor index.json found");
  const index = JSON.parse(indexJson) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
  const out: ArchiveEntry[] = [];
  for (const d of index.manifests) {
    const m = JSON.parse(await fs.readFile(path.join(work, "blobs", "sha256", d.digest.slice(7)), "utf8")) as { config: { digest: string }; layers: { digest: string }[] };
    const name = d.annotations?.["io.containerd.image.name"];
    out.push({ Config: `blobs/sha256/${m.config.digest.slice(7)}`, RepoTags: name ? [name] : null, Layers: m.layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`) });
  }
  return out;
}

/** A path from the archive's own metadata, refused if it leaves the scratch dir. */
function inside(work: string, rel: string): string {
  const p = path.resolve(work, rel);
  if (!p.startsWith(work + path.sep)) throw new InvalidArgumentError(`invalid archive: path ${rel} escapes the archive`);
  return p;
}
