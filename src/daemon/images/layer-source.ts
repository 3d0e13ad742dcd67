import { createReadStream, promises as fs } from "node:fs";
import path from "node:path";
import { PassThrough, Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { createHash } from "node:crypto";
import { InvalidArgumentError, NotImplementedError } from "../../lib/errors.js";
import { AutoDecompress, detectCompression } from "../../snapshot/decompress.js";
import { MediaType } from "../../image/manifest.js";
import type { LayerBlob } from "../../image/layer-blobs.js";
import type { DistributionDeps } from "./distribution-deps.js";
import { blobKey, type Lease } from "../../metadata/leases.js";

/**
 * A gzip (or zstd) blob for a layer, ready to push: the blob pull stored,
 * or the original tar import/load stored (compressed once with gzip here),
 * or, for layers with no stored bytes, a tar of the extracted diff dir —
 * accepted only when it reproduces the diffID the image config names.
 */
export async function compressedLayer(deps: DistributionDeps, diffId: string, chainId: string, lease?: Lease): Promise<LayerBlob> {
  const known = await deps.layerBlobs.get(diffId);
  await lease?.hold(...known.map((b) => blobKey(b.digest)));
  for (const b of known) {
    if (!(await deps.content.has(b.digest))) continue;
    if (b.mediaType === MediaType.dockerLayerGzip || b.mediaType === MediaType.ociLayerGzip || b.mediaType === MediaType.ociLayerZstd) return b;
  }
  for (const b of known) {
    if (!(await deps.content.has(b.digest))) continue;
    const head = await readHead(deps.content.path(b.digest));
    if (detectCompression(head) === "gzip") {
      const blob = { ...b, mediaType: MediaType.dockerLayerGzip };
      await deps.layerBlobs.add(diffId, blob);
      return blob;
    }
    return gzipAndStore(deps, diffId, createReadStream(deps.content.path(b.digest)).pipe(new AutoDecompress()), lease);
  }
  return gzipAndStore(deps, diffId, await tarOfLayerDir(path.join(deps.snapshotter.layerDir(chainId), "diff")), lease);
}

/** The uncompressed tar of a stored layer (for `docker save`): its original bytes when kept, else a tar of its diff dir. */
export async function uncompressedLayer(deps: DistributionDeps, diffId: string, chainId: string): Promise<Readable> {
  for (const b of await deps.layerBlobs.get(diffId)) {
    if (await deps.content.has(b.digest)) return createReadStream(deps.content.path(b.digest)).pipe(new AutoDecompress());
  }
  return tarOfLayerDir(path.join(deps.snapshotter.layerDir(chainId), "diff"));
}

/** gzip a layer tar into the content store, checking its digest is the diffID before recording it. */
async function gzipAndStore(deps: DistributionDeps, diffId: string, tar: Readable, lease?: Lease): Promise<LayerBlob> {
  const hash = createHash("sha256");
  const tap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const out = new PassThrough();
  const piping = pipeline(tar, tap, createGzip({ level: 6 }), out);
  const [info] = await Promise.all([deps.content.ingest(out, undefined, lease), piping]);
  const got = `sha256:${hash.digest("hex")}`;
  if (got !== diffId) {
    await deps.content.delete(info.digest);
    throw new InvalidArgumentError(`cannot reproduce layer ${diffId} from its extracted files (got ${got}); the original layer bytes were not kept`);
  }
  const blob = { digest: info.digest, mediaType: MediaType.dockerLayerGzip, size: info.size };
  await deps.layerBlobs.add(diffId, blob);
  return blob;
}

/** layerTar from src/snapshot/diff.ts (written by the builder); loaded lazily so this module works before it exists. */
async function tarOfLayerDir(dir: string): Promise<Readable> {
  const specifier = "../../snapshot/diff.js";
  let mod: { layerTar?: (dir: string) => Readable | Promise<Readable> };
  try {
    mod = (await import(specifier)) as typeof mod;
  } catch {
    throw new NotImplementedError("this layer's original bytes were not kept and re-creating layer tars is not available yet");
  }
  if (!mod.layerTar) throw new NotImplementedError("layer tar creation is not available");
  return mod.layerTar(dir);
}

async function readHead(file: string): Promise<Buffer> {
  const fh = await fs.open(file, "r");
  try {
    const buf = Buffer.alloc(8);
    const { bytesRead } = await fh.read(buf, 0, 8, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
