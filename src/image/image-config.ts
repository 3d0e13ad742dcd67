/**
 * The Docker / OCI image configuration JSON (the blob whose sha256 is the
 * image ID). Field names are the on-disk JSON names, which are part of the
 * image format, so they stay as the spec spells them.
 */
export interface DockerImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  "os.version"?: string;
  created?: string;
  author?: string;
  comment?: string;
  docker_version?: string;
  /** The parent image ID (classic builder images only). */
  parent?: string;
  config?: ImageConfig;
  container_config?: ImageConfig;
  container?: string;
  rootfs: { type: "layers"; diff_ids: string[] };
  history?: HistoryEntry[];
}

/** Defaults a container inherits from its image ("config" in the image config; `ImageConfig` in the Engine API). */
export interface ImageConfig {
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>> | null;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Healthcheck?: HealthConfig;
  ArgsEscaped?: boolean;
  Volumes?: Record<string, Record<string, never>> | null;
  WorkingDir?: string;
  Entrypoint?: string[] | null;
  OnBuild?: string[] | null;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  Shell?: string[] | null;
}

export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** Docker's GOARCH name for the host's CPU. */
export function hostArchitecture(): string {
  const map: Record<string, string> = { x64: "amd64", ia32: "386", arm64: "arm64", arm: "arm", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64" };
  return map[process.arch] ?? process.arch;
}
