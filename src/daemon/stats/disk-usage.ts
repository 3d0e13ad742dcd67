import type { VolumeService } from "../volumes/volume-service.js";

/** What `GET /system/df` gathers from the other services (consumer-declared). */
export interface DiskUsageSources {
  /** Image summaries in wire shape (Containers, Size, SharedSize, ...). */
  images(): Promise<Record<string, unknown>[]>;
  /** Container summaries with SizeRw/SizeRootFs. */
  containers(): Promise<Record<string, unknown>[]>;
  /** Image id of every container, to count each image's users. */
  containerImageIds(): string[];
  /** Bytes on disk for all images (layers and content), as `du` counts them. */
  layersSize(): Promise<number>;
  volumes: VolumeService;
}

/** `docker system df`: images, containers, volumes and build cache with sizes and reference counts. */
export class DiskUsageService {
  constructor(private readonly src: DiskUsageSources) {}

  async df(types: string[]): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    if (types.includes("image")) {
      const used = new Map<string, number>();
      for (const id of this.src.containerImageIds()) used.set(id, (used.get(id) ?? 0) + 1);
      const images: Record<string, unknown>[] = (await this.src.images()).map((i) => ({ ...i, Containers: used.get(i.Id as string) ?? 0, SharedSize: 0 }));
      // What the images really take on disk (shared layers once, compressed blobs included), not a sum of image sizes.
      out.LayersSize = await this.src.layersSize();
      out.Images = images;
    }
    if (types.includes("container")) out.Containers = await this.src.containers();
    if (types.includes("volume")) out.Volumes = await this.src.volumes.usage();
    if (types.includes("build-cache")) out.BuildCache = [];
    return out;
  }
}
