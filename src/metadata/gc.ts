import { promises as fs } from "node:fs";
import type { ContentStore } from "../content/content-store.js";
import type { LayerBlobIndex } from "../image/layer-blobs.js";
import type { LayerInfo } from "../snapshot/snapshotter.js";
import { log } from "../lib/log.js";
import { blobKey, layerKey, snapshotKey, type LeaseManager } from "./leases.js";

/** What is referenced right now, besides leases: the collector keeps these and what they need. */
export interface GcRoots {
  /** Content digests: image configs, manifests (repo digests). */
  blobs: Iterable<string>;
  /** Chain IDs of image tops and containers' rootfs parents; their ancestors are kept too. */
  layers: Iterable<string>;
  /** Keys of container snapshots whose container exists. */
  snapshots: Iterable<string>;
}

/** The layer store as the collector needs it. */
export interface CollectableLayers {
  listLayers(): Promise<LayerInfo[]>;
  listSnapshots(): Promise<string[]>;
  removeLayer(chainId: string): Promise<void>;
  remove(key: string): Promise<void>;
  sweepTemp(): Promise<void>;
}

export interface GcReport {
  blobs: string[];
  layers: string[];
  snapshots: string[];
  /** Bytes freed: blob files plus the layers' content sizes. */
  bytes: number;
}

export interface GcDeps {
  content: ContentStore;
  layers: CollectableLayers;
  layerBlobs: LayerBlobIndex;
  leases: LeaseManager;
  roots(): Promise<GcRoots> | GcRoots;
}

/**
 * Mark and sweep over the content store and the layer store.
 *
 * Marked: the roots, every held lease, each marked layer's ancestors, and
 * the stored blobs of every marked layer's diffID (the bytes push and save
 * reuse). Swept: unmarked blobs, layers, container snapshots and layer-blob
 * index entries, plus partial ingests and extraction dirs no running call
 * owns. Runs exclusively (LeaseManager.exclusive): leases taken meanwhile
 * wait for it, leases held before it are respected. Anything still mounted
 * is skipped, never forced.
 */
export class GarbageCollector {
  constructor(private readonly d: GcDeps) {}

  collect(): Promise<GcReport> {
    return this.d.leases.exclusive(() => this.run());
  }

  private async run(): Promise<GcReport> {
    // Leases first: one released while we read the roots has made its reference durable by then.
    const held = this.d.leases.held();
    const roots = await this.d.roots();
    const report: GcReport = { blobs: [], layers: [], snapshots: [], bytes: 0 };

    const layers = new Map((await this.d.layers.listLayers()).map((l) => [l.chainId as string, l]));
    const liveLayers = new Set<string>();
    const mark = (chainId: string | undefined) => {
      while (chainId && !liveLayers.has(chainId)) {
        liveLayers.add(chainId);
        chainId = layers.get(chainId)?.parent;
      }
    };
    for (const c of roots.layers) mark(c);
    for (const k of held) if (k.startsWith("layer:")) mark(k.slice(6));

    const liveBlobs = new Set<string>(roots.blobs);
    for (const k of held) if (k.startsWith("blob:")) liveBlobs.add(k.slice(5));
    const liveDiffIds = new Set<string>();
    for (const c of liveLayers) {
      const diffId = layers.get(c)?.diffId;
      if (!diffId) continue;
      liveDiffIds.add(diffId);
      for (const b of await this.d.layerBlobs.get(diffId)) liveBlobs.add(b.digest);
    }

    const liveSnapshots = new Set<string>(roots.snapshots);
    for (const key of await this.d.layers.listSnapshots()) {
      if (liveSnapshots.has(key) || held.has(snapshotKey(key))) continue;
      try {
        await this.d.layers.remove(key);
        report.snapshots.push(key);
      } catch (err) {
        log.warn("gc: snapshot left in place", { key, error: String(err) });
      }
    }
    for (const [chainId, info] of layers) {
      if (liveLayers.has(chainId) || held.has(layerKey(chainId))) continue;
      try {
        await this.d.layers.removeLayer(chainId);
        report.layers.push(chainId);
        report.bytes += info.size ?? 0;
      } catch (err) {
        log.warn("gc: layer left in place", { chainId, error: String(err) });
      }
    }
    for (const diffId of await this.d.layerBlobs.list()) {
      if (!liveDiffIds.has(diffId)) await this.d.layerBlobs.forget(diffId);
    }
    for (const digest of await this.d.content.list()) {
      if (liveBlobs.has(digest) || held.has(blobKey(digest))) continue;
      const size = (await fs.stat(this.d.content.path(digest)).catch(() => undefined))?.size ?? 0;
      await this.d.content.delete(digest);
      report.blobs.push(digest);
      report.bytes += size;
    }
    report.bytes += await this.d.content.sweepIngests();
    await this.d.layers.sweepTemp();
    if (report.blobs.length || report.layers.length || report.snapshots.length) {
      log.info("gc: reclaimed", { blobs: report.blobs.length, layers: report.layers.length, snapshots: report.snapshots.length, bytes: report.bytes });
    }
    return report;
  }
}
