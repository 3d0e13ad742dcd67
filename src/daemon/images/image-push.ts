import { createReadStream, promises as fs } from "node:fs";
import { Transform } from "node:stream";
import { NotFoundError } from "../../lib/errors.js";
import { sha256Digest } from "../../content/digest.js";
import type { DockerImageConfig } from "../../image/image-config.js";
import { MediaType, type Descriptor } from "../../image/manifest.js";
import { familiarName, type Reference } from "../../image/reference.js";
import type { AuthConfig } from "../../registry/client/auth.js";
import { openRepository } from "../../registry/client/open.js";
import type { RepositoryClient } from "../../registry/client/repository.js";
import { uploadChunked } from "../../registry/client/chunked-upload.js";
import { withRetries } from "../../registry/client/retry.js";
import type { DistributionDeps } from "./distribution-deps.js";
import { blobKey, layerKey, type Lease } from "../../metadata/leases.js";
import { compressedLayer } from "./layer-source.js";
import { layerProgress, layerStatus, shortId, throttle, type ProgressFn } from "./progress.js";

/** Layers above this size go up in PATCH chunks (resumable, as docker pushes); smaller ones in one PUT. */
const CHUNKED_ABOVE = 8 << 20;
const CHUNK_SIZE = 8 << 20;
/** dockerd's attempts per layer upload. */
const UPLOAD_ATTEMPTS = 5;

/**
 * `docker push`: every tag of the repository (or just `ref.tag`) goes to
 * the registry. Per layer: HEAD first ("Layer already exists"), then a
 * cross-repository mount from a repository we know holds it, else an
 * upload (monolithic when small, chunked PATCHes when large). The config follows, then the manifest (Docker schema2 when all
 * layers are gzip, OCI otherwise), PUT by tag.
 */
export async function pushImage(deps: DistributionDeps, ref: Reference, auth: AuthConfig | undefined, progress: ProgressFn): Promise<void> {
  await deps.images.load();
  const targets = ref.tag !== undefined ? [ref] : tagsOfRepository(deps, ref);
  if (targets.length === 0) throw new NotFoundError(`An image does not exist locally with the tag: ${familiarName(ref)}`);
  const first = deps.images.get(lookup(deps, targets[0]));
  if (!first) throw new NotFoundError(`An image does not exist locally with the tag: ${familiarName(ref)}`);
  const sameRegistrySources = new Set<string>();
  // Like dockerd, the first line goes out before the registry is contacted: auth errors then arrive in the stream.
  progress({ status: `The push refers to repository [${ref.domain}/${ref.path}]` });
  const repo = await openRepository(ref.domain, ref.path, deps.registry, auth, ["pull", "push"]);
  for (const target of targets) await deps.leases.with((lease) => pushTarget(deps, repo, ref, target, sameRegistrySources, progress, lease));
}

/** One tag: its layers, config and manifest, all held by `lease` while they are read (an rmi meanwhile cannot pull them away). */
async function pushTarget(deps: DistributionDeps, repo: RepositoryClient, ref: Reference, target: Reference, sameRegistrySources: Set<string>, progress: ProgressFn, lease: Lease): Promise<void> {
  const id = lookup(deps, target);
  const rec = deps.images.get(id);
  if (!rec) throw new NotFoundError(`An image does not exist locally with the tag: ${familiarName(target)}`);
  await lease.hold(blobKey(rec.id), ...rec.chainIds.map(layerKey));
  const configBody = await deps.content.read(rec.id);
  const config = JSON.parse(configBody.toString("utf8")) as DockerImageConfig;
  const diffIds = config.rootfs.diff_ids;
  // Docker lists layers newest first while preparing.
  for (let i = diffIds.length - 1; i >= 0; i--) progress(layerStatus(shortId(diffIds[i]), "Preparing"));
  const layers: Descriptor[] = [];
  for (let i = diffIds.length - 1; i >= 0; i--) {
    layers[i] = await pushLayer(deps, repo, ref, diffIds[i], rec.chainIds[i], sameRegistrySources, progress, lease);
  }
  const configDesc = { mediaType: MediaType.dockerConfig, digest: rec.id, size: configBody.length };
  if (!(await repo.blobExists(rec.id))) await repo.upload(rec.id, configBody.length, () => oneChunk(configBody));
  const allGzip = layers.every((l) => l.mediaType === MediaType.dockerLayerGzip || l.mediaType === MediaType.ociLayerGzip);
  const manifest = allGzip
    ? { schemaVersion: 2, mediaType: MediaType.dockerManifest, config: configDesc, layers: layers.map((l) => ({ ...l, mediaType: MediaType.dockerLayerGzip })) }
    : { schemaVersion: 2, mediaType: MediaType.ociManifest, config: { ...configDesc, mediaType: MediaType.ociConfig }, layers: layers.map((l) => ({ ...l, mediaType: l.mediaType === MediaType.dockerLayerGzip ? MediaType.ociLayerGzip : l.mediaType })) };
  const body = Buffer.from(JSON.stringify(manifest, null, 3));
  const tag = target.tag!;
  await repo.putManifest(tag, body, manifest.mediaType);
  const digest = sha256Digest(body);
  await deps.content.put(body, lease);
  await deps.images.exclusive(() => deps.images.tag({ domain: ref.domain, path: ref.path, digest }, rec.id).then(() => undefined));
  progress({ status: `${tag}: digest: ${digest} size: ${body.length}` });
  progress({ progressDetail: {}, aux: { Tag: tag, Digest: digest, Size: body.length } });
  deps.emit("push", rec.id, { name: `${familiarName(target)}:${tag}` });
}

async function pushLayer(deps: DistributionDeps, repo: RepositoryClient, ref: Reference, diffId: string, chainId: string, _seen: Set<string>, progress: ProgressFn, lease: Lease): Promise<Descriptor> {
  const id = shortId(diffId);
  const blob = await compressedLayer(deps, diffId, chainId, lease);
  const desc: Descriptor = { mediaType: blob.mediaType, size: blob.size, digest: blob.digest };
  const here = `${ref.domain}/${ref.path}`;
  // Like dockerd: a broken connection or a 5xx is retried (5 s, 10 s, … back-off), up to 5 attempts per layer.
  await withRetries(UPLOAD_ATTEMPTS, async () => {
    if (await repo.blobExists(blob.digest)) {
      progress(layerStatus(id, "Layer already exists"));
    } else {
      const from = (blob.sources ?? []).find((s) => s !== here && s.startsWith(`${ref.domain}/`));
      const mounted = from ? await repo.mount(blob.digest, from.slice(ref.domain.length + 1)) : false;
      if (mounted) progress(layerStatus(id, `Mounted from ${from!.slice(ref.domain.length + 1)}`));
      else {
        const report = throttle(100, (n) => progress(layerProgress(id, "Pushing", n, blob.size)));
        if (blob.size > CHUNKED_ABOVE) {
          await uploadChunked(repo, blob.digest, blob.size, fileRange(deps.content.path(blob.digest)), { chunkSize: CHUNK_SIZE, onProgress: report });
        } else {
          let current = 0;
          const tap = new Transform({
            transform(chunk: Buffer, _e, cb) {
              current += chunk.length;
              report(current);
              cb(null, chunk);
            },
          });
          await repo.upload(blob.digest, blob.size, createReadStream(deps.content.path(blob.digest)).pipe(tap));
        }
        report(blob.size, true);
        progress(layerStatus(id, "Pushed"));
      }
    }
  }, (left) => progress(layerStatus(id, `Retrying in ${left} second${left === 1 ? "" : "s"}`)));
  await deps.layerBlobs.add(diffId, { ...blob, sources: [here] });
  return desc;
}

/** Read `length` bytes at `offset` of a file (chunked uploads re-read a chunk when they resume). */
function fileRange(file: string): (offset: number, length: number) => Promise<Buffer> {
  return async (offset, length) => {
    const fh = await fs.open(file, "r");
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  };
}

async function* oneChunk(b: Buffer): AsyncIterable<Buffer> {
  yield b;
}

function lookup(deps: DistributionDeps, ref: Reference): string {
  for (const rec of deps.images.list()) {
    if (deps.images.refsOf(rec.id).some((r) => r.domain === ref.domain && r.path === ref.path && r.tag === ref.tag && r.digest === undefined)) return rec.id;
  }
  return "";
}

function tagsOfRepository(deps: DistributionDeps, ref: Reference): Reference[] {
  const out: Reference[] = [];
  for (const rec of deps.images.list()) {
    for (const r of deps.images.refsOf(rec.id)) if (r.domain === ref.domain && r.path === ref.path && r.tag !== undefined && r.digest === undefined) out.push(r);
  }
  return out.sort((a, b) => a.tag!.localeCompare(b.tag!));
}
