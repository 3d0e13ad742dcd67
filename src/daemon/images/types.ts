import type { ImageConfig } from "../../image/image-config.js";

/**
 * Internal (camelCase) models the image service returns; the images router
 * converts them to the Engine API's PascalCase wire shapes. Delete and prune
 * results are already in Docker's wire shape because they are just lists of
 * what happened.
 */
export interface ImageSummaryModel {
  id: string;
  parentId: string;
  repoTags: string[];
  repoDigests: string[];
  /** Unix seconds. */
  created: number;
  size: number;
  labels: Record<string, string>;
}

export interface ImageDetailsModel {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  parent: string;
  comment: string;
  /** RFC 3339 with fractional seconds. */
  created: string;
  dockerVersion: string;
  author: string;
  config: ImageConfig;
  architecture: string;
  variant?: string;
  os: string;
  osVersion?: string;
  size: number;
  graphDriver: { name: string; data: Record<string, string> };
  rootFS: { type: string; layers: string[] };
  lastTagTime?: string;
}

export interface HistoryItemModel {
  id: string;
  /** Unix seconds. */
  created: number;
  createdBy: string;
  tags: string[];
  size: number;
  comment: string;
}

export type DeleteResponseItem = { Untagged: string } | { Deleted: string };

export interface PruneReport {
  ImagesDeleted: DeleteResponseItem[] | null;
  SpaceReclaimed: number;
}

export interface ListOptions {
  all?: boolean;
  filters?: Map<string, string[]>;
}

export interface PruneOptions {
  filters?: Map<string, string[]>;
}

export interface ImportRequest {
  repo?: string;
  tag?: string;
  changes?: string[];
  message?: string;
  platform?: string;
}

/** What a container needs from its image. */
export interface ContainerImage {
  id: string;
  config: ImageConfig;
  topChainId: string | undefined;
  lowerDirs: string[];
  repoTags: string[];
  /** The image's platform (config `os`, `architecture`, `variant`). */
  platform: { os: string; architecture: string; variant?: string };
}

/**
 * Who uses an image. The container service answers with the first
 * container found; a bare string is taken as a stopped container.
 */
export type ImageUser = string | { containerId: string; running: boolean };

export type ImageEventAction = "import" | "tag" | "untag" | "delete" | "pull" | "push" | "save" | "load";
