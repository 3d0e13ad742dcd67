import { InvalidArgumentError } from "../../lib/errors.js";
import { matchLabels, parseTimestamp, validateFilterKeys, type Filters } from "../../lib/filters.js";
import type { ImageRecord } from "../../image/image-record.js";
import { familiarMatch } from "../../image/reference.js";
import type { ImageServiceContext } from "./context.js";
import { familiarRefs, summaryOf } from "./image-views.js";
import type { ImageSummaryModel, ListOptions } from "./types.js";

const LIST_FILTERS = ["before", "dangling", "label", "label!", "reference", "since", "until"] as const;

/** `GET /images/json`: newest first, with Docker's filters. */
export async function listImages(ctx: ImageServiceContext, opts: ListOptions): Promise<ImageSummaryModel[]> {
  const filters: Filters = opts.filters ?? new Map();
  validateFilterKeys(filters, LIST_FILTERS);
  const dangling = danglingFilter(filters);
  const before = await createdOfRefs(ctx, filters.get("before"));
  const since = await createdOfRefs(ctx, filters.get("since"));
  const until = filters.get("until")?.map((u) => parseTimestamp(u));
  const patterns = filters.get("reference") ?? [];
  const parents = new Set(ctx.images.list().map((r) => r.parent).filter(Boolean));

  const out: Array<{ model: ImageSummaryModel; created: number }> = [];
  for (const rec of ctx.images.list()) {
    const refs = ctx.images.refsOf(rec.id);
    const created = Date.parse(rec.created);
    if (dangling !== undefined && (refs.length === 0) !== dangling) continue;
    if (before !== undefined && !(created < before)) continue;
    if (since !== undefined && !(created > since)) continue;
    if (until && !until.every((u) => created <= u)) continue;
    // Without `all`, untagged intermediate images (parents of others) are hidden.
    if (!opts.all && refs.length === 0 && parents.has(rec.id)) continue;
    const keep = patterns.length ? (r: (typeof refs)[number]) => patterns.some((p) => familiarMatch(p, r)) : undefined;
    const shown = familiarRefs(refs, keep);
    if (patterns.length && shown.tags.length === 0 && shown.digests.length === 0) continue;
    const config = await ctx.images.config(rec.id);
    const labels = config.config?.Labels ?? {};
    if (!matchLabels(labels, filters.get("label"))) continue;
    if (!notLabels(labels, filters.get("label!"))) continue;
    out.push({ model: summaryOf(rec, config, shown), created });
  }
  return out.sort((a, b) => b.created - a.created || a.model.id.localeCompare(b.model.id)).map((o) => o.model);
}

/** `dangling=true|false` (also 1/0); anything else is Docker's invalid filter error. */
export function danglingFilter(filters: Filters): boolean | undefined {
  const values = filters.get("dangling");
  if (!values || values.length === 0) return undefined;
  const v = values[values.length - 1].toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw new InvalidArgumentError(`invalid filter 'dangling=${values[values.length - 1]}'`);
}

/** `label!=key` / `label!=key=value`: images NOT carrying that label. */
export function notLabels(labels: Record<string, string>, wanted: string[] | undefined): boolean {
  return !wanted || wanted.every((w) => !matchLabels(labels, [w]));
}

/** The creation time of the image each `before`/`since` value names (the latest wins when repeated). */
async function createdOfRefs(ctx: ImageServiceContext, names: string[] | undefined): Promise<number | undefined> {
  if (!names || names.length === 0) return undefined;
  let t: number | undefined;
  for (const n of names) {
    const { record } = await ctx.images.resolve(n);
    t = createdMs(record);
  }
  return t;
}

function createdMs(rec: ImageRecord): number {
  return Date.parse(rec.created);
}
