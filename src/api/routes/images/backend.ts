import type { Readable } from "node:stream";
import type {
  DeleteResponseItem, HistoryItemModel, ImageDetailsModel, ImageSummaryModel, ImportRequest, ListOptions, PruneOptions, PruneReport,
} from "../../../daemon/images/types.js";

/** What the images router needs from the daemon (implemented by daemon/images/ImageService). */
export interface ImageBackend {
  list(opts: ListOptions): Promise<ImageSummaryModel[]>;
  inspect(name: string): Promise<ImageDetailsModel>;
  history(name: string): Promise<HistoryItemModel[]>;
  tag(name: string, repo: string, tag?: string): Promise<void>;
  remove(name: string, opts: { force?: boolean; noprune?: boolean }): Promise<DeleteResponseItem[]>;
  prune(opts: PruneOptions): Promise<PruneReport>;
  importImage(tar: Readable, req: ImportRequest): Promise<{ id: string; ref?: string }>;
  /** Pull from a registry; may report progress lines. Throws until a registry client exists. */
  pull(fromImage: string, tag?: string, onProgress?: (msg: Record<string, unknown>) => void): Promise<unknown>;
}
