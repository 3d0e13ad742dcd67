import type { OverlaySnapshotter } from "../../snapshot/overlay-snapshotter.js";
import type { ImageStore } from "../../image/image-store.js";
import type { GcReport } from "../../metadata/gc.js";
import type { ImageEventAction } from "./types.js";

/** What the image service's verb helpers share: the stores and the hooks into the rest of the daemon. */
export interface ImageServiceContext {
  images: ImageStore;
  snapshotter: OverlaySnapshotter;
  /** The first container using the image, normalised; undefined when unused. */
  userOf(imageId: string): { containerId: string; running: boolean } | undefined;
  emit(action: ImageEventAction, imageId: string, attributes?: Record<string, string>): void;
  /** Run the garbage collector (after images were deleted). */
  collect(): Promise<GcReport>;
}
