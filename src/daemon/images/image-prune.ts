import { matchLabels, parseTimestamp, validateFilterKeys } from "../../lib/filters.js";
import { familiarString } from "../../image/reference.js";
import type { ImageServiceContext } from "./context.js";
import { releaseLayers } from "./image-delete.js";
import { danglingFilter, notLabels } from "./image-list.js";
import type { DeleteResponseItem, PruneOptions, PruneReport } from "./types.js";

const PRUNE_FILTERS = ["dangling", "label", "label!", "until"] as const;

/**
 * `POST /images/prune`: by default only dangling (untagged) images; with
 * `dangling=false` every image no container uses. Images with children and
 * images in use are kept. SpaceReclaimed counts the layers and blobs the
 * garbage collector actually removed.
 */
export async function pruneImages(ctx: ImageServiceContext, opts: PruneOptions): Promise<PruneReport> {
  const filters = opts.filters ?? new Map<string, string[]>();
  validateFilterKeys(filters, PRUNE_FILTERS);
  const danglingOnly = danglingFilter(filters) ?? true;
  const until = filters.get("until")?.map((u) => parseTimestamp(u));
  const deleted: DeleteResponseItem[] = [];
  let reclaimed = 0;

  // Children first, so a parent pruned in the same pass no longer has them.
  const candidates = ctx.images.list().sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
  for (const rec of candidates) {
    const refs = ctx.images.refsOf(rec.id);
    if (danglingOnly && refs.length > 0) continue;
    if (ctx.userOf(rec.id)) continue;
    if (ctx.images.list().some((r) => r.parent === rec.id)) continue;
    if (until && !until.every((u) => Date.parse(rec.created) < u)) continue;
    const config = await ctx.images.config(rec.id);
    const labels = config.config?.Labels ?? {};
    if (!matchLabels(labels, filters.get("label")) || !notLabels(labels, filters.get("label!"))) continue;

    for (const r of refs) {
      deleted.push({ Untagged: familiarString(r) });
      ctx.emit("untag", rec.id, { name: familiarString(r) });
    }
    await ctx.images.delete(rec.id);
    deleted.push({ Deleted: rec.id });
    ctx.emit("delete", rec.id);
    const released = await releaseLayers(ctx, rec.chainIds);
    for (const chainId of released.removed) deleted.push({ Deleted: chainId });
    reclaimed += released.bytes;
  }
  return { ImagesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
}
