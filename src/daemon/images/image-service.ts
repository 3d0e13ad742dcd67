import path from "node:path";
import type { Readable } from "node:stream";
import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { LocalContentStore } from "../../content/local-store.js";
import { OverlaySnapshotter } from "../../snapshot/overlay-snapshotter.js";
import { ImageStore } from "../../image/image-store.js";
import { importImage } from "../../image/import.js";
import { topChainId } from "../../image/image-record.js";
import {
  familiarName, familiarString, parseNormalizedReference, validateTag, withDefaultTag, type Reference,
} from "../../image/reference.js";
import type { ImageServiceContext } from "./context.js";
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
  private readonly ctx: ImageServiceContext;

  constructor(private readonly opts: ImageServiceOptions) {
    this.content = new LocalContentStore(path.join(opts.dataRoot, "content"));
    this.snapshotter = new OverlaySnapshotter(path.join(opts.dataRoot, "storage", "overlay"));
    this.images = new ImageStore(path.join(opts.dataRoot, "image"), this.content);
    this.ctx = {
      images: this.images,
      snapshotter: this.snapshotter,
      userOf: (id) => {
        const u = opts.isImageInUse(id);
        if (u === undefined) return undefined;
        return typeof u === "string" ? { containerId: u, running: false } : u;
      },
      emit: (action, id, attrs = {}) => opts.onEvent?.(action, id, attrs),
    };
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
  tag(name: string, repo: string, tag?: string): Promise<void> {
    return this.images.exclusive(async () => {
      const { record } = await this.images.resolve(name);
      const ref = targetReference(repo, tag);
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
    const record = await importImage({ snapshotter: this.snapshotter, images: this.images }, tar, {
      changes: req.changes,
      message: req.message,
      ...platform,
    });
    await this.images.exclusive(async () => {
      if (ref) await this.images.tag(ref, record.id);
    });
    this.ctx.emit("import", record.id, ref ? { name: familiarString(ref) } : {});
    return { id: record.id, ...(ref ? { ref: familiarString(ref) } : {}) };
  }

  /** Pulling needs the registry client, which wharf does not have yet. */
  async pull(fromImage: string, tag?: string): Promise<never> {
    const ref = targetReference(fromImage, tag);
    throw new NotFoundError(
      `pull access denied for ${familiarName(ref)}, repository does not exist or may require 'docker login': ` +
        `wharf cannot pull from registries yet; create the image locally with "docker import" (or "wharf import") or "docker load"`,
    );
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
    };
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
  if (ref.digest !== undefined) throw new InvalidArgumentError("refusing to create a tag with a digest reference");
  if (tag) {
    validateTag(tag);
    ref = { domain: ref.domain, path: ref.path, tag };
  }
  return withDefaultTag(ref);
}

function parsePlatform(platform: string | undefined): { os?: string; architecture?: string } {
  if (!platform) return {};
  const [os, architecture] = platform.split("/");
  if (os !== "linux") throw new InvalidArgumentError(`"${platform}": operating system is not supported`);
  return architecture ? { os, architecture } : { os };
}
