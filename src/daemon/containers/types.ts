/**
 * The container record kept on disk (containers/<id>/config.v2.json).
 * `config` and `hostConfig` are the Engine API's ContainerConfig and
 * HostConfig as the client sent them (normalised): they are wire data that
 * inspect returns verbatim, so they keep Docker's PascalCase names.
 */
export interface ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object> | null;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Healthcheck?: unknown;
  ArgsEscaped?: boolean;
  Image?: string;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Entrypoint?: string[] | null;
  NetworkDisabled?: boolean;
  MacAddress?: string;
  OnBuild?: string[] | null;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  StopTimeout?: number | null;
  Shell?: string[] | null;
}

export interface RestartPolicy {
  Name: "" | "no" | "always" | "unless-stopped" | "on-failure";
  MaximumRetryCount?: number;
}

export interface HostConfig {
  Binds?: string[] | null;
  NetworkMode?: string;
  PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[]> | null;
  RestartPolicy?: RestartPolicy;
  AutoRemove?: boolean;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Dns?: string[] | null;
  DnsOptions?: string[] | null;
  DnsSearch?: string[] | null;
  ExtraHosts?: string[] | null;
  /** Legacy links, stored as dockerd does: "/child:/parent/alias". */
  Links?: string[] | null;
  GroupAdd?: string[] | null;
  IpcMode?: string;
  PidMode?: string;
  UTSMode?: string;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  SecurityOpt?: string[] | null;
  /** Paths hidden from the container; null/absent means the defaults (a privileged container has none). */
  MaskedPaths?: string[] | null;
  ReadonlyPaths?: string[] | null;
  ShmSize?: number;
  /** [height, width] of the TTY when the process starts (API >= 1.42). */
  ConsoleSize?: [number, number] | null;
  Sysctls?: Record<string, string> | null;
  Runtime?: string;
  Init?: boolean | null;
  Ulimits?: { Name: string; Soft: number; Hard: number }[] | null;
  LogConfig?: { Type: string; Config: Record<string, string> };
  PublishAllPorts?: boolean;
  CgroupnsMode?: string;
  [key: string]: unknown;
}

export type ContainerStatus = "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";

export interface ContainerState {
  status: ContainerStatus;
  pid: number;
  exitCode: number;
  error: string;
  oomKilled: boolean;
  startedAt: string;
  finishedAt: string;
  /** Set when a user stopped the container, so restart policies leave it alone. */
  stoppedByUser: boolean;
}

export interface ContainerRecord {
  id: string;
  /** With Docker's leading slash: "/web". */
  name: string;
  created: string;
  /** Image reference as the user gave it, shown in `ps` ("busybox"). */
  image: string;
  imageId: string;
  path: string;
  args: string[];
  config: ContainerConfig;
  hostConfig: HostConfig;
  state: ContainerState;
  restartCount: number;
  runtime: string;
  /** NetworkingConfig as asked at create, normalised and kept up to date by the network extension (connect/disconnect). */
  networkingConfig?: { EndpointsConfig?: Record<string, Record<string, unknown>> | null };
  /** Layer chain the rootfs stands on; lower dirs are derived from it. */
  topChainId?: string;
  /** Overlay directories prepared at create (for inspect's GraphDriver). */
  layers?: { lowerDirs: string[]; upperDir: string; workDir: string; mergedDir: string };
}

export const ZERO_TIME = "0001-01-01T00:00:00Z";
