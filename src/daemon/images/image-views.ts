import path from "node:path";
import type { ImageRecord } from "../../image/image-record.js";
import type { DockerImageConfig, ImageConfig } from "../../image/image-config.js";
import { familiarString, type Reference } from "../../image/reference.js";
import type { ImageServiceContext } from "./context.js";
import type { HistoryItemModel, ImageDetailsModel, ImageSummaryModel } from "./types.js";

/** Tags and digests of an image in familiar form, optionally limited to those a predicate accepts. */
export function familiarRefs(refs: Reference[], keep: (r: Reference) => boolean = () => true): { tags: string[]; digests: string[] } {
  const tags: string[] = [];
  const digests: string[] = [];
  for (const r of refs) {
    if (!keep(r)) continue;
    if (r.digest !== undefined) digests.push(familiarString({ domain: r.domain, path: r.path, digest: r.digest }));
    else tags.push(familiarString(r));
  }
  return { tags, digests };
}

export function unixSeconds(iso: string | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

export function summaryOf(rec: ImageRecord, config: DockerImageConfig, refs: { tags: string[]; digests: string[] }): ImageSummaryModel {
  return {
    id: rec.id,
    parentId: rec.parent,
    repoTags: refs.tags,
    repoDigests: refs.digests,
    created: unixSeconds(rec.created),
    size: rec.size,
    labels: config.config?.Labels ?? {},
  };
}

export function detailsOf(ctx: ImageServiceContext, rec: ImageRecord, config: DockerImageConfig): ImageDetailsModel {
  const refs = familiarRefs(ctx.images.refsOf(rec.id));
  return {
    id: rec.id,
    repoTags: refs.tags,
    repoDigests: refs.digests,
    parent: rec.parent,
    comment: config.comment ?? "",
    created: config.created ?? rec.created,
    dockerVersion: config.docker_version ?? "",
    author: config.author ?? "",
    config: fullImageConfig(config.config ?? {}),
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
    os: config.os,
    ...(config["os.version"] ? { osVersion: config["os.version"] } : {}),
    size: rec.size,
    graphDriver: graphDriverOf(ctx, rec),
    rootFS: { type: config.rootfs?.type ?? "layers", layers: config.rootfs?.diff_ids ?? [] },
    ...(rec.lastTagTime ? { lastTagTime: rec.lastTagTime } : {}),
  };
}

/** The ImageConfig with every field present, as Docker's inspect shows it. */
function fullImageConfig(c: ImageConfig): ImageConfig {
  return {
    User: c.User ?? "",
    ExposedPorts: c.ExposedPorts ?? null,
    Env: c.Env ?? null,
    Cmd: c.Cmd ?? null,
    ...(c.Healthcheck ? { Healthcheck: c.Healthcheck } : {}),
    ...(c.ArgsEscaped ? { ArgsEscaped: c.ArgsEscaped } : {}),
    Volumes: c.Volumes ?? null,
    WorkingDir: c.WorkingDir ?? "",
    Entrypoint: c.Entrypoint ?? null,
    OnBuild: c.OnBuild ?? null,
    Labels: c.Labels ?? null,
    ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
    ...(c.Shell ? { Shell: c.Shell } : {}),
  };
}

/** overlay2-style GraphDriver data: the top layer's dirs plus the rest as lower dirs. */
function graphDriverOf(ctx: ImageServiceContext, rec: ImageRecord): { name: string; data: Record<string, string> } {
  const top = rec.chainIds[rec.chainIds.length - 1];
  if (!top) return { name: "overlay2", data: {} };
  let dirs: string[];
  try {
    dirs = ctx.snapshotter.lowerDirs(top);
  } catch {
    return { name: "overlay2", data: {} };
  }
  const topDir = path.dirname(dirs[0]);
  const data: Record<string, string> = {};
  if (dirs.length > 1) data.LowerDir = dirs.slice(1).join(":");
  data.MergedDir = path.join(topDir, "merged");
  data.UpperDir = dirs[0];
  data.WorkDir = path.join(topDir, "work");
  return { name: "overlay2", data };
}

/**
 * `docker history`: config history newest first. Entries that made a layer
 * get that layer's size; only the newest entry carries the image ID and tags
 * (older ones are "<missing>", since wharf keeps no per-step images).
 */
export async function historyOf(ctx: ImageServiceContext, rec: ImageRecord, config: DockerImageConfig): Promise<HistoryItemModel[]> {
  const sizes = await Promise.all(rec.chainIds.map(async (c) => (await ctx.snapshotter.getLayer(c))?.size ?? 0));
  const entries = config.history?.length ? config.history : rec.chainIds.map(() => ({ created: config.created }));
  let layer = 0;
  const items: HistoryItemModel[] = entries.map((h) => {
    const size = "empty_layer" in h && h.empty_layer ? 0 : (sizes[layer++] ?? 0);
    return {
      id: "<missing>",
      created: unixSeconds(h.created),
      createdBy: ("created_by" in h ? h.created_by : undefined) ?? "",
      tags: [],
      size,
      comment: ("comment" in h ? h.comment : undefined) ?? "",
    };
  });
  items.reverse();
  if (items.length) {
    items[0].id = rec.id;
    items[0].tags = familiarRefs(ctx.images.refsOf(rec.id)).tags;
  }
  return items;
}
