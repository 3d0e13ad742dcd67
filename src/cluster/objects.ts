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
