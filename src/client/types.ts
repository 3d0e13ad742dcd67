/**
 * Engine API wire shapes the client reads and sends: the types generated from
 * the v1.50 swagger (src/api/types/engine-api.ts, scripts/gen-engine-api.mjs),
 * so a field name cannot drift from the API. The swagger marks nearly every
 * field optional; the few dockerd always sends are required here, so callers
 * need no checks the daemon's contract already gives.
 */
import type * as Wire from "../api/types/engine-api.js";

type Always<T, K extends keyof T> = T & Required<Pick<T, K>>;

export type Port = Wire.Port;
export type MountPoint = Wire.MountPoint;

export type ContainerSummary = Always<Wire.ContainerSummary, "Id" | "Names" | "Image" | "ImageID" | "Command" | "Created" | "Ports" | "State" | "Status"> & {
  /** `null` from older daemons for a container without labels. */
  Labels: Record<string, string> | null;
};

export type ImageSummary = Omit<Wire.ImageSummary, "RepoTags" | "RepoDigests" | "Labels"> & {
  /** Sent by daemons before API 1.44 (removed from the swagger since). */
  VirtualSize?: number;
  /** `null` from daemons older than API 1.43 (and wharf's CLI may talk to them). */
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Labels: Record<string, string> | null;
};

export type CreateResponse = Omit<Wire.ContainerCreateResponse, "Warnings"> & { Warnings: string[] | null };
export type WaitResponse = Omit<Wire.ContainerWaitResponse, "Error"> & { Error?: Wire.ContainerWaitExitError | null };

/** The prune answers the client reads (containers, images), in one shape. */
export type PruneReport = Partial<Wire.ContainerPruneResponse> & Partial<Wire.ImagePruneResponse> & { SpaceReclaimed: number };
export type ImageDeleteItem = Wire.ImageDeleteResponseItem;

export type VersionResponse = Always<Wire.SystemVersion, "Version" | "ApiVersion" | "GitCommit" | "GoVersion" | "Os" | "Arch">;

/** Container create body: Config fields plus HostConfig and NetworkingConfig. */
export type ContainerCreateBody = Omit<Wire.ContainerCreateBody, "Cmd" | "Entrypoint"> & {
  Image: string;
  /** `null` is "not set" (Go's nil slice), which the docker CLI sends too; `[]` would clear the image's. */
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
};

export type CreateHostConfig = NonNullable<ContainerCreateBody["HostConfig"]>;

export type JsonObject = Record<string, unknown>;
