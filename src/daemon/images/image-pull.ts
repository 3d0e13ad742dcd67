import { createReadStream, promises as fs } from "node:fs";
import { Transform } from "node:stream";
import { InvalidArgumentError, UnavailableError } from "../../lib/errors.js";
import { sha256Digest, type Digest } from "../../content/digest.js";
import type { DockerImageConfig } from "../../image/image-config.js";
import { parseManifest, platformString, selectPlatform, type Descriptor, type ImageManifest, type Platform } from "../../image/manifest.js";
import { familiarString, type Reference } from "../../image/reference.js";
import { chainIds as chainIdsOf } from "../../snapshot/chain-id.js";
import type { AuthConfig } from "../../registry/client/auth.js";
import { readAll } from "../../registry/client/http.js";
import { openRepository } from "../../registry/client/open.js";
import type { RepositoryClient } from "../../registry/client/repository.js";
import type { DistributionDeps } from "./distribution-deps.js";
import { blobKey, layerKey, type Lease } from "../../metadata/leases.js";
import { downloadBlob } from "./blob-download.js";
import { layerProgress, layerStatus, shortId, throttle, type ProgressFn } from "./progress.js";

const PARALLEL_DOWNLOADS = 3;
/** dockerd's default max-download-attempts. */
const DOWNLOAD_ATTEMPTS = 5;
/** A registry that sends nothing for this long is given up on for that attempt (dockerd waits forever). */
const STALL_SECONDS = 30;

/**
 * `docker pull`: resolve the manifest (choosing the platform from an index),
 * verify and store the config, download missing layers in parallel into the
 * content store (each verified against its digest while written), then
 * extract them in order and check every diffID against the config before
 * the image record and tags are written. On any failure, blobs and layers
 * this pull added are removed again, so nothing half-pulled is visible.
 */
export async function pullImage(deps: DistributionDeps, ref: Reference, auth: AuthConfig | undefined, platform: Platform, progress: ProgressFn): Promise<string> {
  const repo = await openRepository(ref.domain, ref.path, deps.registry, auth, ["pull"]);
  const what = familiarString(ref);
  progress({ status: `Pulling from ${ref.path}`, id: ref.digest ?? ref.tag });
  const top = await repo.getManifest(ref.digest ?? ref.tag ?? "latest", what);
  let parsed = parseManifest(top.body, top.mediaType);
  if (parsed.kind === "index") {
    const desc = selectPlatform(parsed.index, platform);
    if (!desc) throw new UnavailableError(`no matching manifest for ${platformString(platform)} in the manifest list entries`);
    const m = await repo.getManifest(desc.digest, what);
    parsed = parseManifest(m.body, m.mediaType || desc.mediaType);
    if (parsed.kind !== "manifest") throw new InvalidArgumentError(`${what}: nested image indexes are not supported`);
  }
  const manifest: ImageManifest = parsed.manifest;
  const configBody = await readAll(await repo.getBlob(manifest.config.digest), 16 << 20);
  if (sha256Digest(configBody) !== manifest.config.digest) throw new InvalidArgumentError(`image config verification failed for digest ${manifest.config.digest}`);
  const config = JSON.parse(configBody.toString("utf8")) as DockerImageConfig;
  const diffIds = (config.rootfs?.diff_ids ?? []) as Digest[];
  if (diffIds.length !== manifest.layers.length) throw new InvalidArgumentError(`${what}: the config lists ${diffIds.length} layers but the manifest ${manifest.layers.length}`);
  const chains = chainIdsOf(diffIds);

  const existedBefore = deps.images.get(manifest.config.digest) !== undefined;
  const added = { blobs: [] as string[], layers: [] as string[] };
  // Everything this pull reads or writes is held until the image record and tags exist.
  const lease = deps.leases.create();
  try {
    await lease.hold(blobKey(top.digest), blobKey(manifest.config.digest), ...manifest.layers.map((l) => blobKey(l.digest)), ...chains.map(layerKey));
    const present = await Promise.all(chains.map((c) => deps.snapshotter.hasLayer(c)));
    manifest.layers.forEach((l, i) => progress(layerStatus(shortId(l.digest), present[i] ? "Already exists" : "Pulling fs layer")));
    const downloads = downloadAll(deps, repo, manifest.layers, present, added.blobs, progress, lease);
    let size = 0;
    for (let i = 0; i < chains.length; i++) {
      const layer = manifest.layers[i];
      await downloads[i];
      if (!present[i] && !(await deps.snapshotter.hasLayer(chains[i]))) {
        const applied = await extract(deps, layer, i > 0 ? chains[i - 1] : undefined, diffIds[i], progress, lease);
        added.layers.push(applied);
        progress(layerStatus(shortId(layer.digest), "Pull complete"));
      }
      size += (await deps.snapshotter.getLayer(chains[i]))?.size ?? 0;
      if (await deps.content.has(layer.digest)) {
        await deps.layerBlobs.add(diffIds[i], { digest: layer.digest, mediaType: layer.mediaType, size: layer.size, sources: [`${ref.domain}/${ref.path}`] });
      }
    }
    await Promise.all(downloads);
    await deps.content.put(top.body, lease);
    const id = await deps.images.exclusive(async () => {
      const rec = await deps.images.create(configBody, chains, size, lease);
      if (ref.tag !== undefined && ref.digest === undefined) await deps.images.tag(ref, rec.id);
      await deps.images.tag({ domain: ref.domain, path: ref.path, digest: top.digest }, rec.id);
      return rec.id;
    });
    progress({ status: `Digest: ${top.digest}` });
    const fresh = !existedBefore || added.layers.length > 0;
    progress({ status: `Status: ${fresh ? "Downloaded newer image" : "Image is up to date"} for ${what}` });
    deps.emit("pull", id, { name: what });
    return id;
  } catch (err) {
    // What this pull added and nothing else references goes with the next collection.
    lease.release();
    if (added.blobs.length || added.layers.length) await deps.collect().catch(() => undefined);
    throw err;
  } finally {
    lease.release();
  }
}

/** Start the downloads of missing blobs, at most max-concurrent-downloads (default 3) at a time; one promise per layer. */
function downloadAll(deps: DistributionDeps, repo: RepositoryClient, layers: Descriptor[], present: boolean[], added: string[], progress: ProgressFn, lease: Lease): Promise<void>[] {
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    if (running >= (deps.registry.maxConcurrentDownloads || PARALLEL_DOWNLOADS)) await new Promise<void>((r) => waiting.push(r));
    running++;
  };
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  const all = layers.map(async (layer, i) => {
    if (present[i] || (await deps.content.has(layer.digest))) return;
    await slot();
    try {
      await downloadBlob(layer, {
        content: deps.content, repo, lease, progress,
        attempts: deps.registry.maxDownloadAttempts || DOWNLOAD_ATTEMPTS,
        stallMs: (deps.registry.registryStallTimeout || STALL_SECONDS) * 1000,
      });
      added.push(layer.digest);
    } finally {
      release();
    }
  });
  // Rejections are observed by the ordered extraction loop; keep node from flagging them meanwhile.
  for (const p of all) p.catch(() => undefined);
  return all;
}

async function extract(deps: DistributionDeps, layer: Descriptor, parent: string | undefined, diffId: Digest, progress: ProgressFn, lease: Lease): Promise<string> {
  const id = shortId(layer.digest);
  const file = deps.content.path(layer.digest);
  const total = (await fs.stat(file)).size;
  let current = 0;
  const report = throttle(100, (n) => progress(layerProgress(id, "Extracting", n, total)));
  const src = createReadStream(file).pipe(new Transform({
    transform(chunk: Buffer, _e, cb) {
      report((current += chunk.length));
      cb(null, chunk);
    },
  }));
  const applied = await deps.snapshotter.applyLayer(parent, src, { diffId, lease });
  report(total, true);
  if (applied.diffId !== diffId) {
    await deps.snapshotter.removeLayer(applied.chainId).catch(() => undefined);
    throw new InvalidArgumentError(`layer ${layer.digest}: diffID mismatch: the config says ${diffId}, the content is ${applied.diffId}`);
  }
  return applied.chainId;
}
