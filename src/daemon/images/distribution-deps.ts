import type { LocalContentStore } from "../../content/local-store.js";
import type { ImageStore } from "../../image/image-store.js";
import type { LayerBlobIndex } from "../../image/layer-blobs.js";
import type { OverlaySnapshotter } from "../../snapshot/overlay-snapshotter.js";
import type { RegistryOptions } from "../../registry/client/resolver.js";
import type { LeaseManager } from "../../metadata/leases.js";
import type { ImageEventAction } from "./types.js";

/** What pull, push, save and load share: the stores, the registry settings and the event hook. */
export interface DistributionDeps {
  content: LocalContentStore;
  snapshotter: OverlaySnapshotter;
  images: ImageStore;
  layerBlobs: LayerBlobIndex;
  /** In-flight pulls, pushes and loads hold what they make or read (see metadata/leases.ts). */
  leases: LeaseManager;
  registry: RegistryOptions;
  /** Scratch space inside the data-root (`<dataRoot>/tmp`), emptied at daemon start. */
  tmpDir: string;
  emit(action: ImageEventAction, imageId: string, attributes?: Record<string, string>): void;
  /** Run the garbage collector (a failed pull leaves what it added to it). */
  collect(): Promise<unknown>;
}
