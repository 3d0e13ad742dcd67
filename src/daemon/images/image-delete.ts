import { ConflictError } from "../../lib/errors.js";
import { shortId } from "../../lib/ids.js";
import type { Digest } from "../../content/digest.js";
import { familiarString, fullName, parseNormalizedReference, withDefaultTag, type Reference } from "../../image/reference.js";
import type { ImageServiceContext } from "./context.js";
import type { DeleteResponseItem } from "./types.js";

/**
 * `docker rmi`, following dockerd's rules:
 * - by reference: that reference is removed ("Untagged"); the image itself
 *   goes only when no reference is left. If a container uses the image and
 *   this is its only name, removing it needs force.
 * - by ID (or ID prefix): all references go with it, unless they span
 *   several repositories (then force is needed).
 * - an image used by a running container, or with child images, is never
 *   deleted; an image used by a stopped container needs force.
 * Unless `noprune`, parent images left dangling are deleted too.
 */
export async function deleteImage(ctx: ImageServiceContext, name: string, force: boolean, noprune: boolean): Promise<DeleteResponseItem[]> {
  const { record } = await ctx.images.resolve(name);
  const id = record.id;
  const records: DeleteResponseItem[] = [];
  let repoRefs = ctx.images.refsOf(id);
  let quiet = false;

  if (!isIdPrefix(id, name)) {
    const ref = withDefaultTag(parseNormalizedReference(name));
    const user = ctx.userOf(id);
    if (!force && isSingleReference(repoRefs) && user) {
      throw new ConflictError(
        `conflict: unable to remove repository reference "${name}" (must force) - container ${shortId(user.containerId)} is using its referenced image ${shortId(id)}`,
      );
    }
    const removed = ref.digest !== undefined ? { domain: ref.domain, path: ref.path, digest: ref.digest } : ref;
    await ctx.images.untag(removed);
    records.push({ Untagged: familiarString(removed) });
    ctx.emit("untag", id, { name: familiarString(removed) });
    repoRefs = ctx.images.refsOf(id);
    // Removing the last tag of a repository also drops that repository's digest references.
    if (removed.digest === undefined && !repoRefs.some((r) => r.digest === undefined && fullName(r) === fullName(removed))) {
      for (const r of repoRefs.filter((r) => r.digest !== undefined && fullName(r) === fullName(removed))) {
        await ctx.images.untag(r);
        records.push({ Untagged: familiarString(r) });
      }
      repoRefs = ctx.images.refsOf(id);
    }
    if (repoRefs.length > 0) return records;
    quiet = true;
  } else if (isSingleReference(repoRefs)) {
    const conflict = checkConflicts(ctx, id, force ? HARD : HARD | (SOFT & ~ACTIVE_REFERENCE));
    if (conflict) throw conflict.error;
    for (const r of repoRefs) {
      await ctx.images.untag(r);
      records.push({ Untagged: familiarString(r) });
      ctx.emit("untag", id, { name: familiarString(r) });
    }
  }
  await deleteHelper(ctx, id, records, force, !noprune, quiet);
  return records;
}

const DEPENDENT_CHILD = 1;
const RUNNING_CONTAINER = 2;
const ACTIVE_REFERENCE = 4;
const STOPPED_CONTAINER = 8;
const HARD = DEPENDENT_CHILD | RUNNING_CONTAINER;
const SOFT = ACTIVE_REFERENCE | STOPPED_CONTAINER;

interface Conflict {
  error: ConflictError;
  /** The conflict is a container using the image. */
  used: boolean;
}

function conflict(id: string, hard: boolean, message: string, used: boolean): Conflict {
  const how = hard ? "cannot be forced" : "must be forced";
  return { error: new ConflictError(`conflict: unable to delete ${shortId(id)} (${how}) - ${message}`), used };
}

function checkConflicts(ctx: ImageServiceContext, id: string, mask: number): Conflict | undefined {
  if (mask & DEPENDENT_CHILD && ctx.images.list().some((r) => r.parent === id)) {
    return conflict(id, true, "image has dependent child images", false);
  }
  const user = ctx.userOf(id);
  if (mask & RUNNING_CONTAINER && user?.running) {
    return conflict(id, true, `image is being used by running container ${shortId(user.containerId)}`, true);
  }
  if (mask & ACTIVE_REFERENCE && ctx.images.refsOf(id).length > 0) {
    return conflict(id, false, "image is referenced in multiple repositories", false);
  }
  if (mask & STOPPED_CONTAINER && user && !user.running) {
    return conflict(id, false, `image is being used by stopped container ${shortId(user.containerId)}`, true);
  }
  return undefined;
}

/** Delete one image (and, when pruning, its dangling parents), appending what happened to `records`. */
async function deleteHelper(
  ctx: ImageServiceContext, id: string, records: DeleteResponseItem[], force: boolean, prune: boolean, quiet: boolean,
): Promise<void> {
  const found = checkConflicts(ctx, id, force ? HARD : HARD | SOFT);
  if (found) {
    // After untagging by name, an image that is still used simply stays behind, as in Docker.
    if (quiet && (ctx.images.refsOf(id).length > 0 || found.used)) return;
    throw found.error;
  }
  const record = ctx.images.get(id);
  if (!record) return;
  for (const r of ctx.images.refsOf(id)) {
    records.push({ Untagged: familiarString(r) });
    ctx.emit("untag", id, { name: familiarString(r) });
  }
  await ctx.images.delete(id);
  records.push({ Deleted: id });
  ctx.emit("delete", id);
  // A (force-)deleted image that a container still sits on keeps its layers: the container is a GC root.
  for (const chainId of (await releaseLayers(ctx, record.chainIds)).removed) records.push({ Deleted: chainId });
  if (prune && record.parent && ctx.images.get(record.parent) && ctx.images.refsOf(record.parent).length === 0) {
    await deleteHelper(ctx, record.parent, records, false, prune, true);
  }
}

/**
 * After an image record is gone: collect garbage, and report which of its
 * layers went (top first, as dockerd lists them) and the bytes freed.
 */
export async function releaseLayers(ctx: ImageServiceContext, chainIds: Digest[]): Promise<{ removed: Digest[]; bytes: number }> {
  const report = await ctx.collect();
  const gone = new Set(report.layers);
  return { removed: [...chainIds].reverse().filter((c) => gone.has(c)), bytes: report.bytes };
}

function isIdPrefix(id: string, name: string): boolean {
  return id.startsWith(name) || id.slice("sha256:".length).startsWith(name);
}

/** At most one tag, and any digest references in that same repository. */
function isSingleReference(refs: Reference[]): boolean {
  const tags = refs.filter((r) => r.digest === undefined);
  if (tags.length > 1) return false;
  const repo = tags.length ? fullName(tags[0]) : refs.length ? fullName(refs[0]) : undefined;
  if (repo === undefined) return false;
  return refs.every((r) => fullName(r) === repo);
}
