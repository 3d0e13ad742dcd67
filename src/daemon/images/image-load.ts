import { createReadStream, promises as fs } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { InvalidArgumentError } from "../../lib/errors.js";
import { ScopedRoot } from "../../lib/scoped-fs/scoped-root.js";
import { sha256Digest, type Digest } from "../../content/digest.js";
import { unpackTar } from "../../snapshot/tar-unpack.js";
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
 * dir first (its order is not ours to choose), as an untrusted tree: its
 * members and the paths its manifest names are resolved inside that dir
 * (lib/scoped-fs), so a link in it reads nothing else; every layer is checked
 * against the config's diffID while it is applied, and kept in the content
 * store so `save`/`push` give the same bytes back. Tags are set last.
 */
export async function loadImages(deps: DistributionDeps, input: Readable, progress: ProgressFn): Promise<void> {
  await deps.images.load();
  await fs.mkdir(deps.tmpDir, { recursive: true });
  const work = await fs.mkdtemp(path.join(deps.tmpDir, "load-"));
  const scratch = ScopedRoot.open(work);
  try {
    await unpackTar(input, scratch);
    const entries = archiveEntries(scratch);
    // An archive may name one image in several entries (one per tag): each image and tag is loaded once.
    const seen = { ids: new Set<string>(), tags: new Set<string>() };
    for (const e of entries) await deps.leases.with((lease) => loadEntry(deps, scratch, e, lease, progress, seen));
  } catch (err) {
    await deps.collect().catch(() => undefined); // layers of an image that failed to load
    throw err;
  } finally {
    scratch.close();
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** One image of the archive; its layers and config are held by `lease` until it is recorded and tagged. */
async function loadEntry(deps: DistributionDeps, scratch: ScopedRoot, e: ArchiveEntry, lease: Lease, progress: ProgressFn, seen: { ids: Set<string>; tags: Set<string> }): Promise<void> {
  const configBody = member(scratch, e.Config);
  const config = parseJson(configBody, e.Config) as DockerImageConfig;
  const diffIds = Array.isArray(config?.rootfs?.diff_ids) ? config.rootfs.diff_ids : [];
  if (diffIds.length !== e.Layers.length) throw new InvalidArgumentError(`invalid archive: ${e.Config} names ${diffIds.length} layers, the manifest ${e.Layers.length}`);
  const chains: Digest[] = [];
  let size = 0;
  for (let i = 0; i < e.Layers.length; i++) {
    const layer = () => memberStream(scratch, e.Layers[i]!);
    const applied = await deps.snapshotter.applyLayer(chains[i - 1], layer(), { diffId: diffIds[i], lease });
    if (applied.diffId !== diffIds[i]) {
      throw new InvalidArgumentError(`invalid archive: layer ${e.Layers[i]} has diffID ${applied.diffId}, the config expects ${diffIds[i]}`);
    }
    chains.push(applied.chainId);
    size += applied.size;
    const blob = await deps.content.ingest(layer(), undefined, lease);
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
function archiveEntries(scratch: ScopedRoot): ArchiveEntry[] {
  const manifestJson = scratch.readFile("/manifest.json");
  if (manifestJson !== undefined) {
    const list = parseJson(manifestJson, "manifest.json");
    if (!Array.isArray(list) || !list.every(isEntry)) throw new InvalidArgumentError("invalid archive: manifest.json must list objects with a Config and Layers (strings)");
    return list;
  }
  const indexJson = scratch.readFile("/index.json");
  if (indexJson === undefined) throw new InvalidArgumentError("invalid archive: neither manifest.json nor index.json found");
  const index = parseJson(indexJson, "index.json") as { manifests?: unknown };
  if (!Array.isArray(index?.manifests)) throw new InvalidArgumentError("invalid archive: index.json has no manifests");
  const out: ArchiveEntry[] = [];
  for (const d of index.manifests as { digest?: unknown; annotations?: Record<string, unknown> }[]) {
    const blob = (digest: unknown) => {
      if (typeof digest !== "string" || !/^sha256:[a-f0-9]{64}$/.test(digest)) throw new InvalidArgumentError(`invalid archive: bad digest ${JSON.stringify(digest)} in index.json`);
      return `blobs/sha256/${digest.slice(7)}`;
    };
    const m = parseJson(member(scratch, blob(d?.digest)), "an image manifest") as { config?: { digest?: unknown }; layers?: { digest?: unknown }[] };
    if (!Array.isArray(m?.layers)) throw new InvalidArgumentError("invalid archive: an image manifest has no layers");
    const name = d.annotations?.["io.containerd.image.name"];
    out.push({ Config: blob(m.config?.digest), RepoTags: typeof name === "string" ? [name] : null, Layers: m.layers.map((l) => blob(l?.digest)) });
  }
  return out;
}

function isEntry(e: unknown): e is ArchiveEntry {
  const x = e as ArchiveEntry | null;
  return typeof x?.Config === "string" && Array.isArray(x.Layers) && x.Layers.every((l) => typeof l === "string")
    && (x.RepoTags === undefined || x.RepoTags === null || (Array.isArray(x.RepoTags) && x.RepoTags.every((t) => typeof t === "string")));
}

function parseJson(buf: Buffer, what: string): unknown {
  try {
    return JSON.parse(buf.toString("utf8"));
  } catch (err) {
    throw new InvalidArgumentError(`invalid archive: ${what} is not valid JSON: ${(err as Error).message}`);
  }
}

/** A regular file of the archive named by its metadata, resolved inside the scratch dir. */
function member(scratch: ScopedRoot, rel: string): Buffer {
  const data = scratch.readFile(rel, 64 << 20);
  if (data === undefined) throw new InvalidArgumentError(`invalid archive: ${rel} is missing from the archive`);
  return data;
}

function memberStream(scratch: ScopedRoot, rel: string): Readable {
  const fd = scratch.openRegular(rel);
  if (fd === undefined) throw new InvalidArgumentError(`invalid archive: ${rel} is missing from the archive`);
  return createReadStream("", { fd });
}
