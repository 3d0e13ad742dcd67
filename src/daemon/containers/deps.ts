import type { EventBus } from "../events/event-bus.js";
import type { ContainerStore } from "./container-store.js";
import type { ContainerConfig } from "./types.js";
import type { ContainerExtension } from "./extensions.js";
import type { Lease, LeaseManager } from "../../metadata/leases.js";
import type { ShimLogOptions } from "../../runtime/shim/shim-client.js";
import type { LogFormat } from "../../logging/records.js";
import type { ContainerRecord } from "./types.js";

/** Daemon-wide defaults a container gets where it sets nothing itself (dockerd's --dns*, --default-ulimit, --default-shm-size). */
export interface ContainerDefaults {
  dns: import("./etc-content.js").DaemonDns;
  ulimits: Array<{ Name: string; Hard: number; Soft: number }>;
  /** Bytes. */
  shmSize?: number;
}

/** What the lifecycle needs from container logging (daemon/logs). */
export interface LogWiring {
  /** How the monitor writes this run's output; throws when the log driver cannot start. */
  shimOptions(c: ContainerRecord): Promise<ShimLogOptions | undefined>;
  /** The file `docker logs` reads; throws NotImplementedError for drivers that keep none. */
  reader(c: ContainerRecord): { base: string; format: LogFormat };
}

/** What the container service needs from the image side (consumer-declared). */
export interface ImageResolver {
  resolveForContainer(ref: string): Promise<{
    id: string;
    config: ContainerConfig;
    topChainId: string | undefined;
    lowerDirs: string[];
    repoTags: string[];
    platform: { os: string; architecture: string; variant?: string };
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
  /** Networking, volumes, resources, health, logging: called at each lifecycle step. */
  extensions: ContainerExtension[];
  /** The image side's leases: a create holds its rootfs until the record is saved. */
  leases?: LeaseManager;
  /** Called after a container is removed: its layers may now be garbage. */
  onRemoved?(c: { id: string; imageId: string; topChainId?: string }): void;
  logs: LogWiring;
  defaults: () => ContainerDefaults;
}
