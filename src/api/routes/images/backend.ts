import type { Readable } from "node:stream";
import type {
  DeleteResponseItem, HistoryItemModel, ImageDetailsModel, ImageSummaryModel, ImportRequest, ListOptions, PruneOptions, PruneReport,
} from "../../../daemon/images/types.js";

import type { PullRequest } from "../../../daemon/images/distribution-helpers.js";
import type { AuthConfig } from "../../../registry/client/auth.js";
import type { SearchResult } from "../../../daemon/images/image-search.js";
import type { Filters } from "../../../lib/filters.js";

/** What the images router needs from the daemon (implemented by daemon/images/ImageService). */
export interface ImageBackend {
  list(opts: ListOptions): Promise<ImageSummaryModel[]>;
  inspect(name: string): Promise<ImageDetailsModel>;
  history(name: string): Promise<HistoryItemModel[]>;
  tag(name: string, repo: string, tag?: string): Promise<void>;
  remove(name: string, opts: { force?: boolean; noprune?: boolean }): Promise<DeleteResponseItem[]>;
  prune(opts: PruneOptions): Promise<PruneReport>;
  importImage(tar: Readable, req: ImportRequest): Promise<{ id: string; ref?: string }>;
  /** Pull from a registry, reporting docker's JSON progress messages. */
  pull(fromImage: string, tag?: string, onProgress?: (msg: Record<string, unknown>) => void, req?: PullRequest): Promise<unknown>;
  save(names: string[]): Promise<Readable>;
  load(tar: Readable, onProgress: (msg: Record<string, unknown>) => void): Promise<void>;
  push(name: string, tag: string | undefined, onProgress: (msg: Record<string, unknown>) => void, auth?: AuthConfig): Promise<void>;
  /** Search a registry index (v1 search API). */
  search(term: string, limit: number | undefined, filters: Filters, auth?: AuthConfig): Promise<SearchResult[]>;
}
