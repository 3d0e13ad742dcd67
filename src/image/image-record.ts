import type { Digest } from "../content/digest.js";

/**
 * What wharf keeps about an image besides its config blob: the layer
 * stack as stored by the snapshotter and bookkeeping times. Persisted as
 * `<dataRoot>/image/imagedb/<hex>.json`; tags live in the tag index.
 */
export interface ImageRecord {
  /** sha256 of the config blob: the image ID. */
  id: Digest;
  /** Layer chain IDs bottom first; the last one is what containers sit on. */
  chainIds: Digest[];
  /** Sum of the layers' uncompressed content sizes. */
  size: number;
  /** RFC 3339 creation time from the config. */
  created: string;
  /** Parent image ID (classic builds); "" when none. */
  parent: string;
  /** RFC 3339 time of the last tag operation, if any. */
  lastTagTime?: string;
}

export function topChainId(rec: ImageRecord): Digest | undefined {
  return rec.chainIds[rec.chainIds.length - 1];
}
