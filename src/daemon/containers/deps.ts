import type { EventBus } from "../events/event-bus.js";
import type { ContainerStore } from "./container-store.js";
import type { ContainerConfig } from "./types.js";
import type { ContainerExtension } from "./extensions.js";
import type { Lease, LeaseManager } from "../../metadata/leases.js";

/** What the container service needs from the image side (consumer-declared). */
export interface ImageResolver {
  resolveForContainer(ref: string): Promise<{
    id: string;
    config: ContainerConfig;
    topChainId: string | undefined;
    lowerDirs: string[];
    repoTags: string[];
  }>;
}

/** What it needs from the layer store. */
export interface RootfsPreparer {
  prepare(key: string, parentChainId: string | undefined, lease?: Lease): Promise<{ upperDir: string; workDir: string; lowerDirs: string[]; mergedDir: string }>;
  remove(key: string): Promise<void>;
  usage(key: string): Promise<number>;
}

export interface RuntimeChoice {
  name: string;
  path: string;
}

export interface ContainerDeps {
  store: ContainerStore;
  images: ImageResolver;
  rootfs: RootfsPreparer;
  events: EventBus;
  /** Per-container state dirs (bundle, shim socket, exit file): <execRoot>/<id>. */
  execRoot: string;
  shimPath: string;
  runtimes: Record<string, RuntimeChoice>;
  defaultRuntime: string;
  /** Where tini lives, for --init. */
  initPath: string;
  initByDefault: boolean;
  cgroupParent: string;
  /** Networking, volumes, resources, health: called at each lifecycle step. */
  extensions: ContainerExtension[];
  /** The image side's leases: a create holds its rootfs until the record is saved. */
  leases?: LeaseManager;
  /** Called after a container is removed: its layers may now be garbage. */
  onRemoved?(c: { id: string; imageId: string; topChainId?: string }): void;
}
