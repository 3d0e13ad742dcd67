import { PassThrough } from "node:stream";
import { layerTar, isEmptyDiff } from "../../snapshot/diff.js";
import { hostArchitecture, type DockerImageConfig, type HistoryEntry, type ImageConfig } from "../../image/image-config.js";
import { topChainId } from "../../image/image-record.js";
import type { ImageService } from "./image-service.js";
import { layerKey, type Lease } from "../../metadata/leases.js";
import { describeWriteError } from "../../lib/errors.js";

export interface CommitRequest {
  imageService: ImageService;
  /** The container's overlay upper dir; omitted (or emptyLayer) for a config-only commit. */
  upperDir?: string;
  /** The image the container was made from; undefined for `FROM scratch`. */
  parentImageId?: string;
  /** The new image's default config. */
  config: ImageConfig;
  /** The container's config at commit time (classic builder: the cache key). */
  containerConfig?: ImageConfig;
  containerId?: string;
  comment?: string;
  author?: string;
  /** History `created_by`. */
  createdBy?: string;
  /** Record no layer even if the upper dir has changes (metadata-only build steps). */
  emptyLayer?: boolean;
  /** Record the parent image ID in the config (classic builds and `docker commit` do). */
  recordParent?: boolean;
}

/**
 * Turn a container's changes into a new image on top of its parent: the
 * upper dir becomes one layer (unless empty or emptyLayer, then the history
 * entry says `empty_layer`), the parent's layers and history are kept, one
 * history entry is added. Returns the new image ID (sha256 of the config).
 * Shared by the builder and `docker commit`.
 */
export async function commitContainer(req: CommitRequest): Promise<string> {
  // The new layer, its blob and config are held until the image record exists.
  return req.imageService.leases.with((lease) => commitWithLease(req, lease));
}

async function commitWithLease(req: CommitRequest, lease: Lease): Promise<string> {
  const svc = req.imageService;
  const parentRec = req.parentImageId ? (await svc.images.resolve(req.parentImageId)).record : undefined;
  if (parentRec) await lease.hold(...parentRec.chainIds.map(layerKey));
  const parentCfg = parentRec ? await svc.images.config(parentRec.id) : undefined;
  const diffIds = [...(parentCfg?.rootfs.diff_ids ?? [])];
  const chainIds = [...(parentRec?.chainIds ?? [])];
  let size = parentRec?.size ?? 0;
  const empty = !!req.emptyLayer || !req.upperDir || (await isEmptyDiff(req.upperDir));
  if (!empty && req.upperDir) {
    // One tar of the changes feeds both the layer store and the content store: push and save
    // need the exact bytes (re-tarring an extracted layer later would not reproduce its diffID).
    const tar = layerTar(req.upperDir);
    const toStore = new PassThrough();
    const toApply = new PassThrough();
    tar.pipe(toStore);
    tar.pipe(toApply);
    tar.once("error", (err) => (toStore.destroy(err), toApply.destroy(err)));
    // Both sides settle before we go on: when one fails (a full disk) the tar and the other side are
    // stopped, so no reader is left holding container files or a deleted temp file open.
    const stopAll = (err: unknown): never => {
      tar.destroy();
      toStore.destroy();
      toApply.destroy();
      throw err;
    };
    const [storing, applying] = await Promise.allSettled([
      svc.content.ingest(toStore, undefined, lease, `the new layer${req.containerId ? ` of container ${req.containerId}` : ""}`).catch(stopAll),
      svc.snapshotter.applyLayer(parentRec ? topChainId(parentRec) : undefined, toApply, { lease }).catch(stopAll),
    ]);
    const what = `the new layer${req.containerId ? ` of container ${req.containerId}` : ""}`;
    if (storing.status === "rejected") throw describeWriteError(storing.reason, what);
    if (applying.status === "rejected") throw describeWriteError(applying.reason, what);
    const kept = storing.value;
    const layer = applying.value;
    if (kept.digest === layer.diffId) {
      await svc.layerBlobs.add(layer.diffId, { digest: kept.digest, mediaType: "application/vnd.oci.image.layer.v1.tar", size: kept.size });
    }
    diffIds.push(layer.diffId);
    chainIds.push(layer.chainId);
    size += layer.size;
  }
  const created = new Date().toISOString();
  const entry: HistoryEntry = { created, created_by: req.createdBy };
  if (req.author) entry.author = req.author;
  if (req.comment) entry.comment = req.comment;
  if (empty) entry.empty_layer = true;
  const history = parentCfg?.history?.length ? [...parentCfg.history] : parentCfg ? [{ created: parentCfg.created }] : [];
  const image: DockerImageConfig = {
    architecture: parentCfg?.architecture ?? hostArchitecture(),
    os: parentCfg?.os ?? "linux",
    ...(req.author ? { author: req.author } : {}),
    ...(req.comment ? { comment: req.comment } : {}),
    config: req.config,
    ...(req.containerId ? { container: req.containerId } : {}),
    ...(req.containerConfig ? { container_config: req.containerConfig } : {}),
    created,
    docker_version: "",
    history: [...history, entry],
    ...(req.recordParent !== false && parentRec ? { parent: parentRec.id } : {}),
    rootfs: { type: "layers", diff_ids: diffIds },
  };
  const rec = await svc.images.create(Buffer.from(JSON.stringify(image)), chainIds as never, size, lease);
  return rec.id;
}
