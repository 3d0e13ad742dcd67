/**
 * Cluster objects as etcd holds them: Docker's swarm API shapes (Swarm,
 * Node, Service, Task, Network, Secret, Config), which are the cluster's
 * spec language, minus Version (derived from the etcd revision on read).
 * Keys: cluster, ca, nodes/<id>, alive/<id>, services/<id>, tasks/<id>,
 * svcseq/<id>, networks/<id>, ipam/<net>/<ip>, secrets/<id>, configs/<id>.
 */
export type Labels = Record<string, string>;

export interface SwarmSpec {
  Name: string;
  Labels: Labels;
  Orchestration: { TaskHistoryRetentionLimit?: number };
  Raft: { SnapshotInterval: number; KeepOldSnapshots?: number; LogEntriesForSlowFollowers: number; ElectionTick: number; HeartbeatTick: number };
  Dispatcher: { HeartbeatPeriod: number };
  CAConfig: { NodeCertExpiry: number; ExternalCAs?: unknown[] };
  TaskDefaults: Record<string, unknown>;
  EncryptionConfig: { AutoLockManagers: boolean };
}

export interface ClusterRecord {
  ID: string;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: SwarmSpec;
  TLSInfo: { TrustRoot: string; CertIssuerSubject: string; CertIssuerPublicKey: string };
  RootRotationInProgress: boolean;
  DefaultAddrPool: string[];
  SubnetSize: number;
  DataPathPort: number;
  /** Secrets of the two join tokens (the tokens are formatted from these and the CA digest). */
  workerSecret: string;
  managerSecret: string;
}

export interface NodeRecord {
  ID: string;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: { Name?: string; Labels: Labels; Role: "worker" | "manager"; Availability: "active" | "pause" | "drain" };
  Description: {
    Hostname: string;
    Platform: { Architecture: string; OS: string };
    Resources: { NanoCPUs: number; MemoryBytes: number };
    Engine: { EngineVersion: string; Labels?: Labels; Plugins: { Type: string; Name: string }[] };
    TLSInfo?: ClusterRecord["TLSInfo"];
  };
  /** Node address (data path and management). */
  addr: string;
  /** "host:port" of its join/manager endpoint (managers). */
  managerAddr?: string;
  /** etcd member ID when the node runs a member. */
  memberId?: string;
  /** Set on swarm leave: the node is down for good. */
  left?: boolean;
}

export const DEFAULT_SWARM_SPEC: SwarmSpec = {
  Name: "default",
  Labels: {},
  Orchestration: { TaskHistoryRetentionLimit: 5 },
  Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
  Dispatcher: { HeartbeatPeriod: 5_000_000_000 },
  CAConfig: { NodeCertExpiry: 7_776_000_000_000_000 },
  TaskDefaults: {},
  EncryptionConfig: { AutoLockManagers: false },
};

export const ZERO_TIME = "0001-01-01T00:00:00Z";

export function now(): string {
  return new Date().toISOString();
}

/** Docker's ServiceSpec, kept as the client sent it (normalised on create/update). */
export interface ServiceSpec {
  Name: string;
  Labels?: Labels;
  TaskTemplate: TaskSpec;
  Mode?: { Replicated?: { Replicas?: number }; Global?: Record<string, never> };
  UpdateConfig?: UpdateConfig;
  RollbackConfig?: UpdateConfig;
  Networks?: { Target: string; Aliases?: string[] }[];
  EndpointSpec?: { Mode?: "vip" | "dnsrr"; Ports?: PortConfig[] };
}

export interface UpdateConfig {
  Parallelism?: number;
  Delay?: number;
  FailureAction?: "continue" | "pause" | "rollback";
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: "stop-first" | "start-first";
}

export interface PortConfig {
  Name?: string;
  Protocol?: "tcp" | "udp" | "sctp";
  TargetPort: number;
  PublishedPort?: number;
  PublishMode?: "ingress" | "host";
}

export interface TaskSpec {
  ContainerSpec?: ContainerSpec;
  Resources?: { Limits?: { NanoCPUs?: number; MemoryBytes?: number; Pids?: number }; Reservations?: { NanoCPUs?: number; MemoryBytes?: number } };
  RestartPolicy?: { Condition?: "none" | "on-failure" | "any"; Delay?: number; MaxAttempts?: number; Window?: number };
  Placement?: { Constraints?: string[]; Preferences?: { Spread?: { SpreadDescriptor: string } }[]; MaxReplicas?: number; Platforms?: unknown[] };
  Networks?: { Target: string; Aliases?: string[] }[];
  LogDriver?: { Name: string; Options?: Record<string, string> };
  ForceUpdate?: number;
  Runtime?: string;
}

export interface ContainerSpec {
  Image: string;
  Labels?: Labels;
  Command?: string[];
  Args?: string[];
  Hostname?: string;
  Env?: string[];
  Dir?: string;
  User?: string;
  Groups?: string[];
  TTY?: boolean;
  OpenStdin?: boolean;
  ReadOnly?: boolean;
  Mounts?: { Type: string; Source?: string; Target: string; ReadOnly?: boolean; [k: string]: unknown }[];
  StopSignal?: string;
  StopGracePeriod?: number;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  Hosts?: string[];
  DNSConfig?: { Nameservers?: string[]; Search?: string[]; Options?: string[] };
  Secrets?: { File?: { Name: string; UID?: string; GID?: string; Mode?: number }; SecretID: string; SecretName: string }[];
  Configs?: { File?: { Name: string; UID?: string; GID?: string; Mode?: number }; ConfigID: string; ConfigName: string }[];
  Init?: boolean;
  Sysctls?: Record<string, string>;
  CapabilityAdd?: string[];
  CapabilityDrop?: string[];
  Ulimits?: { Name: string; Soft: number; Hard: number }[];
}

export interface ServiceRecord {
  ID: string;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: ServiceSpec;
  PreviousSpec?: ServiceSpec;
  /** Bumped on every spec change: tasks made from an older spec are out of date. */
  specVersion: number;
  Endpoint?: { Spec: ServiceSpec["EndpointSpec"]; Ports?: PortConfig[]; VirtualIPs?: { NetworkID: string; Addr: string }[] };
  UpdateStatus?: { State: string; StartedAt?: string; CompletedAt?: string; Message: string };
}

export type TaskState =
  | "new" | "allocated" | "pending" | "assigned" | "accepted" | "preparing" | "ready" | "starting" | "running"
  | "complete" | "shutdown" | "failed" | "rejected" | "remove" | "orphaned";

export const TERMINAL: readonly TaskState[] = ["complete", "shutdown", "failed", "rejected", "orphaned", "remove"];

export interface TaskRecord {
  ID: string;
  CreatedAt: string;
  UpdatedAt: string;
  Labels: Labels;
  Spec: TaskSpec;
  ServiceID: string;
  /** Replicated services: the replica number; global services: none. */
  Slot?: number;
  NodeID?: string;
  Status: {
    Timestamp: string;
    State: TaskState;
    Message: string;
    Err?: string;
    ContainerStatus?: { ContainerID: string; PID: number; ExitCode: number };
    PortStatus?: Record<string, unknown>;
  };
  DesiredState: "running" | "shutdown" | "remove" | "ready" | "complete";
  NetworksAttachments?: { Network: { ID: string; Spec: { Name: string } }; Addresses: string[] }[];
  /** The service's specVersion the task was made from. */
  specVersion: number;
  /** Service name and the endpoint mode, denormalised for the agent and DNS. */
  serviceName: string;
}
