import type { Readable } from "node:stream";
import type { Digest } from "../content/digest.js";
import type { Lease } from "../metadata/leases.js";

/**
 * A layer store plus per-container writable snapshots.
 *
 * Layers are immutable, named by chain ID, created only by `applyLayer`
 * (idempotent: the same content on the same parent yields the same layer,
 * extracted once). Container snapshots are created by `prepare(key, parent)`
 * which returns the directories a monitor mounts (the mount itself is the
 * caller's job) and are destroyed by `remove(key)`, which refuses with a
 * ConflictError while anything is still mounted under the snapshot.
 *
 * Errors: unknown layer → NotFoundError; malformed tar (escaping paths,
 * hardlinks to missing files) → InvalidArgumentError.
 */
export interface Snapshotter {
  applyLayer(parentChainId: string | undefined, tar: Readable, opts?: ApplyOptions): Promise<AppliedLayer>;
  hasLayer(chainId: string): Promise<boolean>;
  getLayer(chainId: string): Promise<LayerInfo | undefined>;
  /** Diff dirs of the layer and its ancestors, top first (overlay's lowerdir order). */
  lowerDirs(chainId: string): string[];
  prepare(key: string, parentChainId: string | undefined, lease?: Lease): Promise<PreparedSnapshot>;
  remove(key: string): Promise<void>;
  removeLayer(chainId: string): Promise<void>;
  /** Bytes in a container snapshot's upper dir. */
  usage(key: string): Promise<number>;
}

export interface ApplyOptions {
  /** When the caller knows the diffID (e.g. from an image config), an existing layer is reused without extracting. */
  diffId?: string;
  /** Held on the parent and the new layer before either is used or made visible (see metadata/leases.ts). */
  lease?: Lease;
}

export interface AppliedLayer {
  chainId: Digest;
  diffId: Digest;
  size: number;
}

export interface LayerInfo extends AppliedLayer {
  parent?: Digest;
}

export interface PreparedSnapshot {
  upperDir: string;
  workDir: string;
  lowerDirs: string[];
  mergedDir: string;
}
