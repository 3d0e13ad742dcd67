import path from "node:path";
import type { Readable } from "node:stream";
import { InvalidArgumentError } from "../../lib/errors.js";
import { LocalContentStore } from "../../content/local-store.js";
import { OverlaySnapshotter } from "../../snapshot/overlay-snapshotter.js";
import { ImageStore } from "../../image/image-store.js";
import { importImage } from "../../image/import.js";
import { topChainId } from "../../image/image-record.js";
import {
  familiarName, familiarString, parseNormalizedReference, validateTag, withDefaultTag, type Reference,
} from "../../image/reference.js";
import type { ImageServiceContext } from "./context.js";
import { LayerBlobIndex } from "../../image/layer-blobs.js";
import { parsePlatformString } from "../../image/manifest.js";
import type { AuthConfig } from "../../registry/client/auth.js";
import type { RegistryOptions } from "../../registry/client/resolver.js";
import type { DistributionDeps } from "./distribution-deps.js";
import { LeaseManager } from "../../metadata/leases.js";
import { diskUsage } from "../../snapshot/dir-size.js";
import { GarbageCollector, type GcReport } from "../../metadata/gc.js";
import { pullImage } from "./image-pull.js";
import { pushImage } from "./image-push.js";
import { keepOriginal, pullReference, type PullRequest } from "./distribution-helpers.js";
import type { ProgressFn } from "./progress.js";
import { registryLogin } from "./registry-login.js";
import { saveImages } from "./image-save.js";
import { loadImages } from "./image-load.js";
import { distributionInspect, type DistributionInspect } from "./image-distribution.js";
import { searchImages, type SearchResult } from "./image-search.js";
import type { Filters } from "../../lib/filters.js";
import { deleteImage } from "./image-delete.js";
import { listImages } from "./image-list.js";
import { pruneImages } from "./image-prune.js";
import { detailsOf, familiarRefs, historyOf } from "./image-views.js";
import type {
  ContainerImage, DeleteResponseItem, HistoryItemModel, ImageDetailsModel, ImageEventAction, ImageSummaryModel,
  ImageUser, ImportRequest, ListOptions, PruneOptions, PruneReport,
} from "./types.js";

export interface ImageServiceOptions {
  dataRoot: string;
  /** The first container using the image (by image ID), or undefined. */
  isImageInUse(imageId: string): ImageUser | undefined;
  /** Image events for /events ("import", "tag", "untag", "delete"). */
  onEvent?(action: ImageEventAction, imageId: string, attributes: Record<string, string>): void;
  /** dockerd's --insecure-registry / --registry-mirror. */
  registry?: RegistryOptions;
  /** What containers keep alive: the layers their rootfs stands on and their snapshot keys. */
  containerRoots?(): { layers: string[]; snapshots: string[] };
}

/**
 * The images backend: composes the content store, the overlay layer store
 * and the image store, and implements what the images router and the
 * container service need. Mutations run one at a time (the image store's
 * queue), so concurrent tag/delete/import calls cannot interleave.
 */
export class ImageService {
  readonly content: LocalContentStore;
  readonly snapshotter: OverlaySnapshotter;
  readonly images: ImageStore;
  readonly layerBlobs: LayerBlobIndex;
  readonly leases = new LeaseManager();
  readonly gc: GarbageCollector;
  private readonly ctx: ImageServiceContext;

  constructor(private readonly opts: ImageServiceOptions) {
    this.content = new LocalContentStore(path.join(opts.dataRoot, "content"));
    this.snapshotter = new OverlaySnapshotter(path.join(opts.dataRoot, "storage", "overlay"));
    this.images = new ImageStore(path.join(opts.dataRoot, "image"), this.content);
    this.layerBlobs = new LayerBlobIndex(path.join(opts.dataRoot, "image", "layerblobs"));
    this.ctx = {
      images: this.images,
      snapshotter: this.snapshotter,
      userOf: (id) => {
        const u = opts.isImageInUse(id);
        if (u === undefined) return undefined;
        return typeof u === "string" ? { containerId: u, running: false } : u;
      },
      emit: (action, id, attrs = {}) => opts.onEvent?.(action, id, attrs),
      collect: () => this.collect(),
    };
    this.gc = new GarbageCollector({
      content: this.content,
      layers: this.snapshotter,
      layerBlobs: this.layerBlobs,
      leases: this.leases,
      roots: async () => {
        await this.images.load();
        const held = opts.containerRoots?.() ?? { layers: [], snapshots: [] };
        return {
          blobs: this.images.referencedBlobs(),
          layers: [...this.images.list().flatMap((r) => r.chainIds.slice(-1)), ...held.layers],
          snapshots: held.snapshots,
        };
      },
    });
  }

  /** Remove every blob, layer, snapshot and partial write nothing references (see metadata/gc.ts). */
  collect(): Promise<GcReport> {
    return this.gc.collect();
  }

  async list(opts: ListOptions = {}): Promise<ImageSummaryModel[]> {
    await this.images.load();
    return listImages(this.ctx, opts);
  }

  async inspect(name: string): Promise<ImageDetailsModel> {
    const { record } = await this.images.resolve(name);
    return detailsOf(this.ctx, record, await this.images.config(record.id));
  }

  async history(name: string): Promise<HistoryItemModel[]> {
    const { record } = await this.images.resolve(name);
    return historyOf(this.ctx, record, await this.images.config(record.id));
  }

  /** `docker tag SOURCE TARGET`: repo (+ optional tag, default latest) now names the image. */
  async tag(name: string, repo: string, tag?: string): Promise<void> {
    // The new name is checked first: an invalid one is a 400 whether or not the image exists.
    const ref = targetReference(repo, tag);
    await this.images.exclusive(async () => {
      const { record } = await this.images.resolve(name);
      await this.images.tag(ref, record.id);
      this.ctx.emit("tag", record.id, { name: familiarString(ref) });
    });
  }

  remove(name: string, opts: { force?: boolean; noprune?: boolean } = {}): Promise<DeleteResponseItem[]> {
    return this.images.exclusive(() => deleteImage(this.ctx, name, !!opts.force, !!opts.noprune));
  }

  prune(opts: PruneOptions = {}): Promise<PruneReport> {
    return this.images.exclusive(() => pruneImages(this.ctx, opts));
  }

  /**
   * `docker import`: the tar becomes a one-layer image, tagged when `repo` is
   * given. Extraction runs outside the mutation queue (it can be slow);
   * only recording and tagging are serialised.
   */
  async importImage(tar: Readable, req: ImportRequest): Promise<{ id: string; ref?: string }> {
    const ref = req.repo ? targetReference(req.repo, req.tag) : undefined;
    const platform = parsePlatform(req.platform);
    await this.images.load();
    return this.leases.with(async (lease) => {
      const kept = keepOriginal(this.content, tar, lease);
      const record = await importImage({ snapshotter: this.snapshotter, images: this.images }, kept.stream, {
        changes: req.changes,
        message: req.message,
        lease,
        ...platform,
      }).catch(async (err) => {
        await kept.discard();
        throw err;
      });
      await kept.record(this.layerBlobs, (await this.images.config(record.id)).rootfs.diff_ids[0]);
      await this.images.exclusive(async () => {
        if (ref) await this.images.tag(ref, record.id);
      });
      this.ctx.emit("import", record.id, ref ? { name: familiarString(ref) } : {});
      return { id: record.id, ...(ref ? { ref: familiarString(ref) } : {}) };
    });
  }

  /** `docker pull` (POST /images/create?fromImage=): progress goes to `onProgress` as docker's JSON messages. */
  async pull(fromImage: string, tag?: string, onProgress: ProgressFn = () => {}, req: PullRequest = {}): Promise<string> {
    const ref = pullReference(fromImage, tag);
    await this.images.load();
    return pullImage(this.distribution(), ref, req.auth, parsePlatformString(req.platform), onProgress);
  }

  /** `docker push` (POST /images/{name}/push): every tag of the repository when `tag` is empty. */
  async push(name: string, tag: string | undefined, onProgress: ProgressFn, auth?: AuthConfig): Promise<void> {
    const ref = parseNormalizedReference(name);
    if (ref.digest !== undefined) throw new InvalidArgumentError("cannot push a digest reference");
    return pushImage(this.distribution(), tag ? { ...ref, tag } : ref, auth, onProgress);
  }

  /** `docker save`: a tar of the named images (docker-archive + OCI layout). */
  save(names: string[]): Promise<Readable> {
    return saveImages(this.distribution(), names);
  }

  /** `docker load`. */
  load(tar: Readable, onProgress: ProgressFn): Promise<void> {
    return loadImages(this.distribution(), tar, onProgress);
  }

  /** `POST /auth`: check credentials against a registry. */
  login(auth: AuthConfig): Promise<{ Status: string; IdentityToken: string }> {
    return registryLogin(auth, this.distribution().registry);
  }

  /** `GET /distribution/{name}/json`. */
  distributionInspect(name: string, auth?: AuthConfig): Promise<DistributionInspect> {
    return distributionInspect(name, auth, this.distribution().registry);
  }

  /** `GET /images/search`: a registry index's v1 search, filtered. */
  search(term: string, limit: number | undefined, filters: Filters, auth?: AuthConfig): Promise<SearchResult[]> {
    return searchImages(term, limit, filters, auth, this.distribution().registry);
  }

  /** The stores and settings pull/push/save/load work with. */
  distribution(): DistributionDeps {
    return {
      content: this.content,
      snapshotter: this.snapshotter,
      images: this.images,
      layerBlobs: this.layerBlobs,
      leases: this.leases,
      tmpDir: path.join(this.opts.dataRoot, "tmp"),
      registry: this.opts.registry ?? { insecureRegistries: [], registryMirrors: [] },
      emit: this.ctx.emit,
      collect: () => this.collect(),
    };
  }

  /** What a new container needs from its image: ID, default config and the layer dirs to mount. */
  async resolveForContainer(ref: string): Promise<ContainerImage> {
    const { record } = await this.images.resolve(ref);
    const config = await this.images.config(record.id);
    const top = topChainId(record);
    return {
      id: record.id,
      config: config.config ?? {},
      topChainId: top,
      lowerDirs: top ? this.snapshotter.lowerDirs(top) : [],
      repoTags: familiarRefs(this.images.refsOf(record.id)).tags,
      platform: { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) },
    };
  }

  /**
   * Disk space images take, as `du` counts it: extracted layers plus the
   * content store (compressed and original layer bytes, configs, manifests,
   * partial downloads). `system df` reports this as the images' size.
   */
  async layersDiskUsage(): Promise<number> {
    const layerDirs = (await this.snapshotter.listLayers()).map((l) => this.snapshotter.layerDir(l.chainId));
    return diskUsage([...layerDirs, this.content.root]);
  }

  /** Numbers for GET /info. */
  async count(): Promise<{ images: number }> {
    await this.images.load();
    return { images: this.images.list().length };
  }
}

/** A tag target from `repo` and optional `tag` ("repo:tag" in repo alone also works, as the CLI sends it). */
function targetReference(repo: string, tag?: string): Reference {
  let ref = parseNormalizedReference(repo);
  if (familiarName(ref) === "sha256") throw new InvalidArgumentError("refusing to create an ambiguous tag using digest algorithm as name");
  if (ref.digest !== undefined) throw new InvalidArgumentError("refusing to create a tag with a digest reference");
  if (tag) {
    validateTag(tag);
    ref = { domain: ref.domain, path: ref.path, tag };
  }
  return withDefaultTag(ref);
}

/** `import --platform`: recorded in the image config (an empty platform means the host's). */
function parsePlatform(platform: string | undefined): { os?: string; architecture?: string; variant?: string } {
  if (!platform) return {};
  const p = parsePlatformString(platform);
  // The host's arm64 variant is implied, not recorded (dockerd records none for an import).
  return { os: p.os, architecture: p.architecture, ...(p.variant && p.architecture !== "arm64" ? { variant: p.variant } : {}) };
}
