import type { ImageService } from "../images/image-service.js";

export interface BuildPruneReport {
  CachesDeleted: string[] | null;
  SpaceReclaimed: number;
}

/**
 * POST /build/prune for the classic builder, whose cache is its images:
 * delete untagged images made by builds (they carry a container_config)
 * that nothing uses and no other image stands on, repeating up each chain.
 */
export async function pruneBuildCache(images: ImageService, inUse: (id: string) => boolean): Promise<BuildPruneReport> {
  const store = images.images;
  await store.load();
  const deleted: string[] = [];
  let reclaimed = 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (const rec of store.list()) {
      if (store.refsOf(rec.id).length > 0 || inUse(rec.id)) continue;
      if (store.list().some((r) => r.parent === rec.id)) continue;
      const cfg = await store.config(rec.id).catch(() => undefined);
      if (!cfg?.container_config) continue;
      const sizes = new Map<string, number>();
      for (const c of rec.chainIds) sizes.set(c, (await images.snapshotter.getLayer(c))?.size ?? 0);
      const items = (await images.remove(rec.id, { noprune: true }).catch(() => [])) as { Deleted?: string }[];
      for (const it of items) {
        if (!it.Deleted) continue;
        if (it.Deleted === rec.id) {
          deleted.push(it.Deleted);
          changed = true;
        }
        reclaimed += sizes.get(it.Deleted) ?? 0;
      }
    }
  }
  return { CachesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
}
