import type { Readable } from "node:stream";
import type { Snapshotter } from "../snapshot/snapshotter.js";
import type { Lease } from "../metadata/leases.js";
import { applyChanges } from "./changes.js";
import { hostArchitecture, type DockerImageConfig } from "./image-config.js";
import type { ImageRecord } from "./image-record.js";
import type { ImageStore } from "./image-store.js";

export interface ImportOptions {
  /** Dockerfile instructions applied to the new image's config (`docker import -c`). */
  changes?: string[];
  /** Commit message; Docker uses "Imported from <source>" when empty. */
  message?: string;
  /** Where the tar came from, for the default message ("-" for the request body). */
  source?: string;
  /** Target OS/architecture recorded in the config; defaults to the host's. */
  os?: string;
  architecture?: string;
  /** Holds the new layer and config until the caller has recorded the image. */
  lease?: Lease;
}

/**
 * `docker import`: turn a filesystem tar (plain, gzip, bzip2 or xz) into a
 * single-layer image. The config is validated (changes parsed) before the
 * tar is read, so a bad `--change` fails fast without extracting anything.
 */
export async function importImage(
  deps: { snapshotter: Snapshotter; images: ImageStore },
  tar: Readable,
  opts: ImportOptions = {},
): Promise<ImageRecord> {
  const config = applyChanges({}, opts.changes ?? []);
  const layer = await deps.snapshotter.applyLayer(undefined, tar, { lease: opts.lease });
  const created = new Date().toISOString();
  const comment = opts.message || `Imported from ${opts.source ?? "-"}`;
  const image: DockerImageConfig = {
    architecture: opts.architecture ?? hostArchitecture(),
    comment,
    config,
    created,
    docker_version: "",
    history: [{ created, comment }],
    os: opts.os ?? "linux",
    rootfs: { type: "layers", diff_ids: [layer.diffId] },
  };
  return deps.images.create(Buffer.from(JSON.stringify(image)), [layer.chainId], layer.size, opts.lease);
}
