import type { ImageSummary } from "../../../client/types.js";
import { registerFormatContext } from "../../format/go-template.js";
import { humanDuration } from "../../format/human.js";
import { parseReference } from "../shared/reference.js";
import { goTimeString, humanSizeWithPrecision, truncateId } from "../shared/text.js";

/**
 * One `images` row: docker's image formatter fields, keys in the order
 * `{{json .}}` prints them. An image with several repositories/tags gives
 * one row per repository:tag (per digest too, with --digests).
 */
export interface ImageRow {
  Containers: string;
  CreatedAt: string;
  CreatedSince: string;
  Digest: string;
  ID: string;
  Repository: string;
  SharedSize: string;
  Size: string;
  Tag: string;
  UniqueSize: string;
  VirtualSize: string;
}

export const IMAGE_HEADERS: Record<string, unknown> = {
  Repository: "REPOSITORY",
  Tag: "TAG",
  Digest: "DIGEST",
  ID: "IMAGE ID",
  CreatedSince: "CREATED",
  CreatedAt: "CREATED AT",
  Size: "SIZE",
  Containers: "CONTAINERS",
  VirtualSize: "VIRTUAL SIZE",
  SharedSize: "SHARED SIZE",
  UniqueSize: "UNIQUE SIZE",
};

export function imagesTemplate(format: string, quiet: boolean, digests: boolean, configFormat?: string): string {
  let f = format;
  if (!f) f = configFormat && !quiet ? configFormat : "table";
  if (f === "table") {
    if (quiet) return "{{.ID}}";
    return digests
      ? "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
      : "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
  }
  if (f === "json") return "{{json .}}";
  return f;
}

export function imageRows(images: ImageSummary[], opts: { trunc: boolean; digests: boolean; now: number }): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const img of images) {
    const add = (repo: string, tag: string, digest: string) => rows.push(imageRow(img, repo, tag, digest, opts));
    if (isDangling(img)) {
      add("<none>", "<none>", "<none>");
      continue;
    }
    const tags = new Map<string, string[]>();
    const digestsByRepo = new Map<string, string[]>();
    for (const ref of img.RepoTags ?? []) {
      const r = parseReference(ref);
      if (r?.tag) tags.set(r.name, [...(tags.get(r.name) ?? []), r.tag]);
    }
    for (const ref of img.RepoDigests ?? []) {
      const r = parseReference(ref);
      if (r?.digest) digestsByRepo.set(r.name, [...(digestsByRepo.get(r.name) ?? []), r.digest]);
    }
    // docker iterates a Go map here (random order, usually first-seen); first-seen order is stable
    for (const repo of tags.keys()) {
      const ds = opts.digests ? (digestsByRepo.get(repo) ?? []) : [];
      digestsByRepo.delete(repo);
      for (const tag of tags.get(repo) ?? []) {
        if (ds.length === 0) add(repo, tag, "<none>");
        else for (const d of ds) add(repo, tag, d);
      }
    }
    for (const repo of digestsByRepo.keys()) {
      if (opts.digests) for (const d of digestsByRepo.get(repo) ?? []) add(repo, "<none>", d);
      else add(repo, "<none>", "");
    }
  }
  return rows;
}

function isDangling(img: ImageSummary): boolean {
  const tags = img.RepoTags ?? [];
  const digests = img.RepoDigests ?? [];
  if (tags.length === 0 && digests.length === 0) return true;
  return tags.length === 1 && tags[0] === "<none>:<none>" && digests.length === 1 && digests[0] === "<none>@<none>";
}

function imageRow(img: ImageSummary, repo: string, tag: string, digest: string, opts: { trunc: boolean; now: number }): ImageRow {
  const shared = img.SharedSize ?? -1;
  const virtual = img.VirtualSize || img.Size;
  const row: ImageRow = {
    Containers: img.Containers === -1 || img.Containers === undefined ? "N/A" : String(img.Containers),
    CreatedAt: goTimeString(img.Created),
    CreatedSince: img.Created === 0 ? "N/A" : `${humanDuration(Math.max(0, opts.now - img.Created * 1000))} ago`,
    Digest: digest,
    ID: opts.trunc ? truncateId(img.Id) : img.Id,
    Repository: repo,
    SharedSize: shared === -1 ? "N/A" : humanSizeWithPrecision(shared, 4),
    Size: humanSizeWithPrecision(img.Size, 3),
    Tag: tag,
    UniqueSize: shared === -1 ? "N/A" : humanSizeWithPrecision(img.Size - shared, 4),
    VirtualSize: humanSizeWithPrecision(virtual, 4),
  };
  registerFormatContext(row);
  return row;
}
