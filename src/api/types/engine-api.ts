// Engine API v1.50 wire types, generated from Docker's swagger by
// scripts/gen-engine-api.mjs. Do not edit: re-run the script.
// Request bodies reach handlers with `null` fields removed (Go's zero values), so
// optional fields are `undefined` when a client sent null.
/* eslint-disable */

export type ImageHistoryResponseItem = {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[];
  Size: number;
  Comment: string;
};

export type Port = {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: "tcp" | "udp" | "sctp";
};

export type MountType = "bind" | "cluster" | "image" | "npipe" | "tmpfs" | "volume";

export type MountPoint = {
  Type?: MountType;
  Name?: string;
  Source?: string;
  Destination?: string;
  Driver?: string;
  Mode?: string;
  RW?: boolean;
  Propagation?: string;
};

export type DeviceMapping = {
  PathOnHost?: string;
  PathInContainer?: string;
  CgroupPermissions?: string;
};

export type DeviceRequest = {
  Driver?: string;
  Count?: number;
  DeviceIDs?: string[];
  Capabilities?: string[][];
  Options?: Record<string, string>;
};

export type ThrottleDevice = {
  Path?: string;
  Rate?: number;
};

export type Mount = {
  Target?: string;
  Source?: string;
  Type?: MountType;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: {
    Propagation?: "private" | "rprivate" | "shared" | "rshared" | "slave" | "rslave";
    NonRecursive?: boolean;
    CreateMountpoint?: boolean;
    ReadOnlyNonRecursive?: boolean;
    ReadOnlyForceRecursive?: boolean;
  };
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Record<string, string>;
    DriverConfig?: {
      Name?: string;
      Options?: Record<string, string>;
    };
    Subpath?: string;
  };
  ImageOptions?: {
    Subpath?: string;
  };
  TmpfsOptions?: {
    SizeBytes?: number;
    Mode?: number;
    Options?: string[][];
  };
};

export type RestartPolicy = {
  Name?: "" | "no" | "always" | "unless-stopped" | "on-failure";
  MaximumRetryCount?: number;
};

export type Resources = {
  CpuShares?: number;
  Memory?: number;
  CgroupParent?: string;
  BlkioWeight?: number;
  BlkioWeightDevice?: {
    Path?: string;
    Weight?: number;
  }[];
  BlkioDeviceReadBps?: ThrottleDevice[];
  BlkioDeviceWriteBps?: ThrottleDevice[];
  BlkioDeviceReadIOps?: ThrottleDevice[];
  BlkioDeviceWriteIOps?: ThrottleDevice[];
  CpuPeriod?: number;
  CpuQuota?: number;
  CpuRealtimePeriod?: number;
  CpuRealtimeRuntime?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  Devices?: DeviceMapping[];
  DeviceCgroupRules?: string[];
  DeviceRequests?: DeviceRequest[];
  KernelMemoryTCP?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  MemorySwappiness?: number;
  NanoCpus?: number;
  OomKillDisable?: boolean;
  Init?: boolean | null;
  PidsLimit?: number | null;
  Ulimits?: {
    Name?: string;
    Soft?: number;
    Hard?: number;
  }[];
  CpuCount?: number;
  CpuPercent?: number;
  IOMaximumIOps?: number;
  IOMaximumBandwidth?: number;
};

export type Limit = {
  NanoCPUs?: number;
  MemoryBytes?: number;
  Pids?: number;
};

export type ResourceObject = {
  NanoCPUs?: number;
  MemoryBytes?: number;
  GenericResources?: GenericResources;
};

export type GenericResources = {
  NamedResourceSpec?: {
    Kind?: string;
    Value?: string;
  };
  DiscreteResourceSpec?: {
    Kind?: string;
    Value?: number;
  };
}[];

export type HealthConfig = {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
};

export type Health = {
  Status?: "none" | "starting" | "healthy" | "unhealthy";
  FailingStreak?: number;
  Log?: HealthcheckResult[];
} | null;

export type HealthcheckResult = {
  Start?: string;
  End?: string;
  ExitCode?: number;
  Output?: string;
} | null;

export type HostConfig = Resources & {
  Binds?: string[];
  ContainerIDFile?: string;
  LogConfig?: {
    Type?: "local" | "json-file" | "syslog" | "journald" | "gelf" | "fluentd" | "awslogs" | "splunk" | "etwlogs" | "none";
    Config?: Record<string, string>;
  };
  NetworkMode?: string;
  PortBindings?: PortMap;
  RestartPolicy?: RestartPolicy;
  AutoRemove?: boolean;
  VolumeDriver?: string;
  VolumesFrom?: string[];
  Mounts?: Mount[];
  ConsoleSize?: number[] | null;
  Annotations?: Record<string, string>;
  CapAdd?: string[];
  CapDrop?: string[];
  CgroupnsMode?: "private" | "host";
  Dns?: string[];
  DnsOptions?: string[];
  DnsSearch?: string[];
  ExtraHosts?: string[];
  GroupAdd?: string[];
  IpcMode?: string;
  Cgroup?: string;
  Links?: string[];
  OomScoreAdj?: number;
  PidMode?: string;
  Privileged?: boolean;
  PublishAllPorts?: boolean;
  ReadonlyRootfs?: boolean;
  SecurityOpt?: string[];
  StorageOpt?: Record<string, string>;
  Tmpfs?: Record<string, string>;
  UTSMode?: string;
  UsernsMode?: string;
  ShmSize?: number;
  Sysctls?: Record<string, string> | null;
  Runtime?: string | null;
  Isolation?: "default" | "process" | "hyperv" | "";
  MaskedPaths?: string[];
  ReadonlyPaths?: string[];
};

export type ContainerConfig = {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, {}> | null;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[];
  Cmd?: string[];
  Healthcheck?: HealthConfig;
  ArgsEscaped?: boolean | null;
  Image?: string;
  Volumes?: Record<string, {}>;
  WorkingDir?: string;
  Entrypoint?: string[];
  NetworkDisabled?: boolean | null;
  MacAddress?: string | null;
  OnBuild?: string[] | null;
  Labels?: Record<string, string>;
  StopSignal?: string | null;
  StopTimeout?: number | null;
  Shell?: string[] | null;
};

export type ImageConfig = {
  User?: string;
  ExposedPorts?: Record<string, {}> | null;
  Env?: string[];
  Cmd?: string[];
  Healthcheck?: HealthConfig;
  ArgsEscaped?: boolean | null;
  Volumes?: Record<string, {}>;
  WorkingDir?: string;
  Entrypoint?: string[];
  OnBuild?: string[] | null;
  Labels?: Record<string, string>;
  StopSignal?: string | null;
  Shell?: string[] | null;
};

export type NetworkingConfig = {
  EndpointsConfig?: Record<string, EndpointSettings>;
};

export type NetworkSettings = {
  Bridge?: string;
  SandboxID?: string;
  HairpinMode?: boolean;
  LinkLocalIPv6Address?: string;
  LinkLocalIPv6PrefixLen?: number;
  Ports?: PortMap;
  SandboxKey?: string;
  SecondaryIPAddresses?: Address[] | null;
  SecondaryIPv6Addresses?: Address[] | null;
  EndpointID?: string;
  Gateway?: string;
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
  IPAddress?: string;
  IPPrefixLen?: number;
  IPv6Gateway?: string;
  MacAddress?: string;
  Networks?: Record<string, EndpointSettings>;
};

export type Address = {
  Addr?: string;
  PrefixLen?: number;
};

export type PortMap = Record<string, PortBinding[] | null>;

export type PortBinding = {
  HostIp?: string;
  HostPort?: string;
};

export type DriverData = {
  Name: string;
  Data: Record<string, string>;
};

export type FilesystemChange = {
  Path: string;
  Kind: ChangeType;
};

export type ChangeType = 0 | 1 | 2;

export type ImageInspect = {
  Id?: string;
  Descriptor?: OCIDescriptor | null;
  Manifests?: ImageManifestSummary[] | null;
  RepoTags?: string[];
  RepoDigests?: string[];
  Parent?: string;
  Comment?: string;
  Created?: string | null;
  DockerVersion?: string;
  Author?: string;
  Config?: ImageConfig;
  Architecture?: string;
  Variant?: string | null;
  Os?: string;
  OsVersion?: string | null;
  Size?: number;
  GraphDriver?: DriverData;
  RootFS?: {
    Type: string;
    Layers?: string[];
  };
  Metadata?: {
    LastTagTime?: string | null;
  };
};

export type ImageSummary = {
  Id: string;
  ParentId: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: number;
  Size: number;
  SharedSize: number;
  Labels: Record<string, string>;
  Containers: number;
  Manifests?: ImageManifestSummary[];
  Descriptor?: OCIDescriptor | null;
};

export type AuthConfig = {
  username?: string;
  password?: string;
  email?: string;
  serveraddress?: string;
};

export type ProcessConfig = {
  privileged?: boolean;
  user?: string;
  tty?: boolean;
  entrypoint?: string;
  arguments?: string[];
};

export type Volume = {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Status?: Record<string, Record<string, unknown>>;
  Labels: Record<string, string>;
  Scope: "local" | "global";
  ClusterVolume?: ClusterVolume;
  Options: Record<string, string>;
  UsageData?: {
    Size: number;
    RefCount: number;
  } | null;
};

export type VolumeCreateOptions = {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Record<string, string>;
  ClusterVolumeSpec?: ClusterVolumeSpec;
};

export type VolumeListResponse = {
  Volumes?: Volume[];
  Warnings?: string[];
};

export type Network = {
  Name?: string;
  Id?: string;
  Created?: string;
  Scope?: string;
  Driver?: string;
  EnableIPv4?: boolean;
  EnableIPv6?: boolean;
  IPAM?: IPAM;
  Internal?: boolean;
  Attachable?: boolean;
  Ingress?: boolean;
  ConfigFrom?: ConfigReference;
  ConfigOnly?: boolean;
  Containers?: Record<string, NetworkContainer>;
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
  Peers?: PeerInfo[] | null;
};

export type ConfigReference = {
  Network?: string;
};

export type IPAM = {
  Driver?: string;
  Config?: IPAMConfig[];
  Options?: Record<string, string>;
};

export type IPAMConfig = {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
};

export type NetworkContainer = {
  Name?: string;
  EndpointID?: string;
  MacAddress?: string;
  IPv4Address?: string;
  IPv6Address?: string;
};

export type PeerInfo = {
  Name?: string;
  IP?: string;
};

export type NetworkCreateResponse = {
  Id: string;
  Warning: string;
};

export type BuildInfo = {
  id?: string;
  stream?: string;
  error?: string | null;
  errorDetail?: ErrorDetail;
  status?: string;
  progress?: string | null;
  progressDetail?: ProgressDetail;
  aux?: ImageID;
};

export type BuildCache = {
  ID?: string;
  Parents?: string[] | null;
  Type?: "internal" | "frontend" | "source.local" | "source.git.checkout" | "exec.cachemount" | "regular";
  Description?: string;
  InUse?: boolean;
  Shared?: boolean;
  Size?: number;
  CreatedAt?: string;
  LastUsedAt?: string | null;
  UsageCount?: number;
};

export type ImageID = {
  ID?: string;
};

export type CreateImageInfo = {
  id?: string;
  error?: string | null;
  errorDetail?: ErrorDetail;
  status?: string;
  progress?: string | null;
  progressDetail?: ProgressDetail;
};

export type PushImageInfo = {
  error?: string | null;
  errorDetail?: ErrorDetail;
  status?: string;
  progress?: string | null;
  progressDetail?: ProgressDetail;
};

export type DeviceInfo = {
  Source?: string;
  ID?: string;
};

export type ErrorDetail = {
  code?: number;
  message?: string;
};

export type ProgressDetail = {
  current?: number;
  total?: number;
};

export type ErrorResponse = {
  message: string;
};

export type IDResponse = {
  Id: string;
};

export type EndpointSettings = {
  IPAMConfig?: EndpointIPAMConfig;
  Links?: string[];
  MacAddress?: string;
  Aliases?: string[];
  DriverOpts?: Record<string, string> | null;
  GwPriority?: number;
  NetworkID?: string;
  EndpointID?: string;
  Gateway?: string;
  IPAddress?: string;
  IPPrefixLen?: number;
  IPv6Gateway?: string;
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
  DNSNames?: string[];
};

export type EndpointIPAMConfig = {
  IPv4Address?: string;
  IPv6Address?: string;
  LinkLocalIPs?: string[];
} | null;

export type PluginMount = {
  Name: string;
  Description: string;
  Settable: string[];
  Source: string;
  Destination: string;
  Type: string;
  Options: string[];
};

export type PluginDevice = {
  Name: string;
  Description: string;
  Settable: string[];
  Path: string;
};

export type PluginEnv = {
  Name: string;
  Description: string;
  Settable: string[];
  Value: string;
};

export type PluginInterfaceType = {
  Prefix: string;
  Capability: string;
  Version: string;
};

export type PluginPrivilege = {
  Name?: string;
  Description?: string;
  Value?: string[];
};

export type Plugin = {
  Id?: string;
  Name: string;
  Enabled: boolean;
  Settings: {
    Mounts: PluginMount[];
    Env: string[];
    Args: string[];
    Devices: PluginDevice[];
  };
  PluginReference?: string;
  Config: {
    DockerVersion?: string;
    Description: string;
    Documentation: string;
    Interface: {
      Types: PluginInterfaceType[];
      Socket: string;
      ProtocolScheme?: "" | "moby.plugins.http/v1";
    };
    Entrypoint: string[];
    WorkDir: string;
    User?: {
      UID?: number;
      GID?: number;
    };
    Network: {
      Type: string;
    };
    Linux: {
      Capabilities: string[];
      AllowAllDevices: boolean;
      Devices: PluginDevice[];
    };
    PropagatedMount: string;
    IpcHost: boolean;
    PidHost: boolean;
    Mounts: PluginMount[];
    Env: PluginEnv[];
    Args: {
      Name: string;
      Description: string;
      Settable: string[];
      Value: string[];
    };
    rootfs?: {
      type?: string;
      diff_ids?: string[];
    };
  };
};

export type ObjectVersion = {
  Index?: number;
};

export type NodeSpec = {
  Name?: string;
  Labels?: Record<string, string>;
  Role?: "worker" | "manager";
  Availability?: "active" | "pause" | "drain";
};

export type Node = {
  ID?: string;
  Version?: ObjectVersion;
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: NodeSpec;
  Description?: NodeDescription;
  Status?: NodeStatus;
  ManagerStatus?: ManagerStatus;
};

export type NodeDescription = {
  Hostname?: string;
  Platform?: Platform;
  Resources?: ResourceObject;
  Engine?: EngineDescription;
  TLSInfo?: TLSInfo;
};

export type Platform = {
  Architecture?: string;
  OS?: string;
};

export type EngineDescription = {
  EngineVersion?: string;
  Labels?: Record<string, string>;
  Plugins?: {
    Type?: string;
    Name?: string;
  }[];
};

export type TLSInfo = {
  TrustRoot?: string;
  CertIssuerSubject?: string;
  CertIssuerPublicKey?: string;
};

export type NodeStatus = {
  State?: NodeState;
  Message?: string;
  Addr?: string;
};

export type NodeState = "unknown" | "down" | "ready" | "disconnected";

export type ManagerStatus = {
  Leader?: boolean;
  Reachability?: Reachability;
  Addr?: string;
} | null;

export type Reachability = "unknown" | "unreachable" | "reachable";

export type SwarmSpec = {
  Name?: string;
  Labels?: Record<string, string>;
  Orchestration?: {
    TaskHistoryRetentionLimit?: number;
  } | null;
  Raft?: {
    SnapshotInterval?: number;
    KeepOldSnapshots?: number;
    LogEntriesForSlowFollowers?: number;
    ElectionTick?: number;
    HeartbeatTick?: number;
  };
  Dispatcher?: {
    HeartbeatPeriod?: number;
  } | null;
  CAConfig?: {
    NodeCertExpiry?: number;
    ExternalCAs?: {
      Protocol?: "cfssl";
      URL?: string;
      Options?: Record<string, string>;
      CACert?: string;
    }[];
    SigningCACert?: string;
    SigningCAKey?: string;
    ForceRotate?: number;
  } | null;
  EncryptionConfig?: {
    AutoLockManagers?: boolean;
  };
  TaskDefaults?: {
    LogDriver?: {
      Name?: string;
      Options?: Record<string, string>;
    };
  };
};

export type ClusterInfo = {
  ID?: string;
  Version?: ObjectVersion;
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: SwarmSpec;
  TLSInfo?: TLSInfo;
  RootRotationInProgress?: boolean;
  DataPathPort?: number;
  DefaultAddrPool?: string[];
  SubnetSize?: number;
} | null;

export type JoinTokens = {
  Worker?: string;
  Manager?: string;
};

export type Swarm = ClusterInfo & {
  JoinTokens?: JoinTokens;
};

export type TaskSpec = {
  PluginSpec?: {
    Name?: string;
    Remote?: string;
    Disabled?: boolean;
    PluginPrivilege?: PluginPrivilege[];
  };
  ContainerSpec?: {
    Image?: string;
    Labels?: Record<string, string>;
    Command?: string[];
    Args?: string[];
    Hostname?: string;
    Env?: string[];
    Dir?: string;
    User?: string;
    Groups?: string[];
    Privileges?: {
      CredentialSpec?: {
        Config?: string;
        File?: string;
        Registry?: string;
      };
      SELinuxContext?: {
        Disable?: boolean;
        User?: string;
        Role?: string;
        Type?: string;
        Level?: string;
      };
      Seccomp?: {
        Mode?: "default" | "unconfined" | "custom";
        Profile?: string;
      };
      AppArmor?: {
        Mode?: "default" | "disabled";
      };
      NoNewPrivileges?: boolean;
    };
    TTY?: boolean;
    OpenStdin?: boolean;
    ReadOnly?: boolean;
    Mounts?: Mount[];
    StopSignal?: string;
    StopGracePeriod?: number;
    HealthCheck?: HealthConfig;
    Hosts?: string[];
    DNSConfig?: {
      Nameservers?: string[];
      Search?: string[];
      Options?: string[];
    };
    Secrets?: {
      File?: {
        Name?: string;
        UID?: string;
        GID?: string;
        Mode?: number;
      };
      SecretID?: string;
      SecretName?: string;
    }[];
    OomScoreAdj?: number;
    Configs?: {
      File?: {
        Name?: string;
        UID?: string;
        GID?: string;
        Mode?: number;
      };
      Runtime?: Record<string, unknown>;
      ConfigID?: string;
      ConfigName?: string;
    }[];
    Isolation?: "default" | "process" | "hyperv" | "";
    Init?: boolean | null;
    Sysctls?: Record<string, string>;
    CapabilityAdd?: string[];
    CapabilityDrop?: string[];
    Ulimits?: {
      Name?: string;
      Soft?: number;
      Hard?: number;
    }[];
  };
  NetworkAttachmentSpec?: {
    ContainerID?: string;
  };
  Resources?: {
    Limits?: Limit;
    Reservations?: ResourceObject;
  };
  RestartPolicy?: {
    Condition?: "none" | "on-failure" | "any";
    Delay?: number;
    MaxAttempts?: number;
    Window?: number;
  };
  Placement?: {
    Constraints?: string[];
    Preferences?: {
      Spread?: {
        SpreadDescriptor?: string;
      };
    }[];
    MaxReplicas?: number;
    Platforms?: Platform[];
  };
  ForceUpdate?: number;
  Runtime?: string;
  Networks?: NetworkAttachmentConfig[];
  LogDriver?: {
    Name?: string;
    Options?: Record<string, string>;
  };
};

export type TaskState = "new" | "allocated" | "pending" | "assigned" | "accepted" | "preparing" | "ready" | "starting" | "running" | "complete" | "shutdown" | "failed" | "rejected" | "remove" | "orphaned";

export type ContainerStatus = {
  ContainerID?: string;
  PID?: number;
  ExitCode?: number;
};

export type PortStatus = {
  Ports?: EndpointPortConfig[];
};

export type TaskStatus = {
  Timestamp?: string;
  State?: TaskState;
  Message?: string;
  Err?: string;
  ContainerStatus?: ContainerStatus;
  PortStatus?: PortStatus;
};

export type NetworkAttachment = {
  Network?: Network;
  Addresses?: string[];
};

export type Task = {
  ID?: string;
  Version?: ObjectVersion;
  CreatedAt?: string;
  UpdatedAt?: string;
  Name?: string;
  Labels?: Record<string, string>;
  Spec?: TaskSpec;
  ServiceID?: string;
  Slot?: number;
  NodeID?: string;
  AssignedGenericResources?: GenericResources;
  Status?: TaskStatus;
  DesiredState?: TaskState;
  JobIteration?: ObjectVersion;
  NetworksAttachments?: NetworkAttachment[];
};

export type ServiceSpec = {
  Name?: string;
  Labels?: Record<string, string>;
  TaskTemplate?: TaskSpec;
  Mode?: {
    Replicated?: {
      Replicas?: number;
    };
    Global?: Record<string, unknown>;
    ReplicatedJob?: {
      MaxConcurrent?: number;
      TotalCompletions?: number;
    };
    GlobalJob?: Record<string, unknown>;
  };
  UpdateConfig?: {
    Parallelism?: number;
    Delay?: number;
    FailureAction?: "continue" | "pause" | "rollback";
    Monitor?: number;
    MaxFailureRatio?: number;
    Order?: "stop-first" | "start-first";
  };
  RollbackConfig?: {
    Parallelism?: number;
    Delay?: number;
    FailureAction?: "continue" | "pause";
    Monitor?: number;
    MaxFailureRatio?: number;
    Order?: "stop-first" | "start-first";
  };
  Networks?: NetworkAttachmentConfig[];
  EndpointSpec?: EndpointSpec;
};

export type EndpointPortConfig = {
  Name?: string;
  Protocol?: "tcp" | "udp" | "sctp";
  TargetPort?: number;
  PublishedPort?: number;
  PublishMode?: "ingress" | "host";
};

export type EndpointSpec = {
  Mode?: "vip" | "dnsrr";
  Ports?: EndpointPortConfig[];
};

export type Service = {
  ID?: string;
  Version?: ObjectVersion;
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: ServiceSpec;
  Endpoint?: {
    Spec?: EndpointSpec;
    Ports?: EndpointPortConfig[];
    VirtualIPs?: {
      NetworkID?: string;
      Addr?: string;
    }[];
  };
  UpdateStatus?: {
    State?: "updating" | "paused" | "completed";
    StartedAt?: string;
    CompletedAt?: string;
    Message?: string;
  };
  ServiceStatus?: {
    RunningTasks?: number;
    DesiredTasks?: number;
    CompletedTasks?: number;
  };
  JobStatus?: {
    JobIteration?: ObjectVersion;
    LastExecution?: string;
  };
};

export type ImageDeleteResponseItem = {
  Untagged?: string;
  Deleted?: string;
};

export type ServiceCreateResponse = {
  ID?: string;
  Warnings?: string[] | null;
};

export type ServiceUpdateResponse = {
  Warnings?: string[];
};

export type ContainerInspectResponse = {
  Id?: string;
  Created?: string | null;
  Path?: string;
  Args?: string[];
  State?: ContainerState;
  Image?: string;
  ResolvConfPath?: string;
  HostnamePath?: string;
  HostsPath?: string;
  LogPath?: string | null;
  Name?: string;
  RestartCount?: number;
  Driver?: string;
  Platform?: string;
  ImageManifestDescriptor?: OCIDescriptor;
  MountLabel?: string;
  ProcessLabel?: string;
  AppArmorProfile?: string;
  ExecIDs?: string[] | null;
  HostConfig?: HostConfig;
  GraphDriver?: DriverData;
  SizeRw?: number | null;
  SizeRootFs?: number | null;
  Mounts?: MountPoint[];
  Config?: ContainerConfig;
  NetworkSettings?: NetworkSettings;
};

export type ContainerSummary = {
  Id?: string;
  Names?: string[];
  Image?: string;
  ImageID?: string;
  ImageManifestDescriptor?: OCIDescriptor | null;
  Command?: string;
  Created?: number;
  Ports?: Port[];
  SizeRw?: number | null;
  SizeRootFs?: number | null;
  Labels?: Record<string, string>;
  State?: "created" | "running" | "paused" | "restarting" | "exited" | "removing" | "dead";
  Status?: string;
  HostConfig?: {
    NetworkMode?: string;
    Annotations?: Record<string, string> | null;
  };
  NetworkSettings?: {
    Networks?: Record<string, EndpointSettings>;
  };
  Mounts?: MountPoint[];
};

export type Driver = {
  Name: string;
  Options?: Record<string, string>;
};

export type SecretSpec = {
  Name?: string;
  Labels?: Record<string, string>;
  Data?: string;
  Driver?: Driver;
  Templating?: Driver;
};

export type Secret = {
  ID?: string;
  Version?: ObjectVersion;
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: SecretSpec;
};

export type ConfigSpec = {
  Name?: string;
  Labels?: Record<string, string>;
  Data?: string;
  Templating?: Driver;
};

export type Config = {
  ID?: string;
  Version?: ObjectVersion;
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: ConfigSpec;
};

export type ContainerState = {
  Status?: "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";
  Running?: boolean;
  Paused?: boolean;
  Restarting?: boolean;
  OOMKilled?: boolean;
  Dead?: boolean;
  Pid?: number;
  ExitCode?: number;
  Error?: string;
  StartedAt?: string;
  FinishedAt?: string;
  Health?: Health;
} | null;

export type ContainerCreateResponse = {
  Id: string;
  Warnings: string[];
};

export type ContainerUpdateResponse = {
  Warnings?: string[];
};

export type ContainerStatsResponse = {
  name?: string | null;
  id?: string | null;
  read?: string;
  preread?: string;
  pids_stats?: ContainerPidsStats;
  blkio_stats?: ContainerBlkioStats;
  num_procs?: number;
  storage_stats?: ContainerStorageStats;
  cpu_stats?: ContainerCPUStats;
  precpu_stats?: ContainerCPUStats;
  memory_stats?: ContainerMemoryStats;
  networks?: Record<string, ContainerNetworkStats> | null;
};

export type ContainerBlkioStats = {
  io_service_bytes_recursive?: ContainerBlkioStatEntry[];
  io_serviced_recursive?: ContainerBlkioStatEntry[] | null;
  io_queue_recursive?: ContainerBlkioStatEntry[] | null;
  io_service_time_recursive?: ContainerBlkioStatEntry[] | null;
  io_wait_time_recursive?: ContainerBlkioStatEntry[] | null;
  io_merged_recursive?: ContainerBlkioStatEntry[] | null;
  io_time_recursive?: ContainerBlkioStatEntry[] | null;
  sectors_recursive?: ContainerBlkioStatEntry[] | null;
} | null;

export type ContainerBlkioStatEntry = {
  major?: number;
  minor?: number;
  op?: string;
  value?: number;
} | null;

export type ContainerCPUStats = {
  cpu_usage?: ContainerCPUUsage;
  system_cpu_usage?: number | null;
  online_cpus?: number | null;
  throttling_data?: ContainerThrottlingData;
} | null;

export type ContainerCPUUsage = {
  total_usage?: number;
  percpu_usage?: number[] | null;
  usage_in_kernelmode?: number;
  usage_in_usermode?: number;
} | null;

export type ContainerPidsStats = {
  current?: number | null;
  limit?: number | null;
} | null;

export type ContainerThrottlingData = {
  periods?: number;
  throttled_periods?: number;
  throttled_time?: number;
} | null;

export type ContainerMemoryStats = {
  usage?: number | null;
  max_usage?: number | null;
  stats?: Record<string, number | null>;
  failcnt?: number | null;
  limit?: number | null;
  commitbytes?: number | null;
  commitpeakbytes?: number | null;
  privateworkingset?: number | null;
};

export type ContainerNetworkStats = {
  rx_bytes?: number;
  rx_packets?: number;
  rx_errors?: number;
  rx_dropped?: number;
  tx_bytes?: number;
  tx_packets?: number;
  tx_errors?: number;
  tx_dropped?: number;
  endpoint_id?: string | null;
  instance_id?: string | null;
} | null;

export type ContainerStorageStats = {
  read_count_normalized?: number | null;
  read_size_bytes?: number | null;
  write_count_normalized?: number | null;
  write_size_bytes?: number | null;
} | null;

export type ContainerTopResponse = {
  Titles?: string[];
  Processes?: string[][];
};

export type ContainerWaitResponse = {
  StatusCode: number;
  Error?: ContainerWaitExitError;
};

export type ContainerWaitExitError = {
  Message?: string;
};

export type SystemVersion = {
  Platform?: {
    Name: string;
  };
  Components?: {
    Name: string;
    Version: string;
    Details?: Record<string, unknown> | null;
  }[];
  Version?: string;
  ApiVersion?: string;
  MinAPIVersion?: string;
  GitCommit?: string;
  GoVersion?: string;
  Os?: string;
  Arch?: string;
  KernelVersion?: string;
  Experimental?: boolean;
  BuildTime?: string;
};

export type SystemInfo = {
  ID?: string;
  Containers?: number;
  ContainersRunning?: number;
  ContainersPaused?: number;
  ContainersStopped?: number;
  Images?: number;
  Driver?: string;
  DriverStatus?: string[][];
  DockerRootDir?: string;
  Plugins?: PluginsInfo;
  MemoryLimit?: boolean;
  SwapLimit?: boolean;
  KernelMemoryTCP?: boolean;
  CpuCfsPeriod?: boolean;
  CpuCfsQuota?: boolean;
  CPUShares?: boolean;
  CPUSet?: boolean;
  PidsLimit?: boolean;
  OomKillDisable?: boolean;
  IPv4Forwarding?: boolean;
  Debug?: boolean;
  NFd?: number;
  NGoroutines?: number;
  SystemTime?: string;
  LoggingDriver?: string;
  CgroupDriver?: "cgroupfs" | "systemd" | "none";
  CgroupVersion?: "1" | "2";
  NEventsListener?: number;
  KernelVersion?: string;
  OperatingSystem?: string;
  OSVersion?: string;
  OSType?: string;
  Architecture?: string;
  NCPU?: number;
  MemTotal?: number;
  IndexServerAddress?: string;
  RegistryConfig?: RegistryServiceConfig;
  GenericResources?: GenericResources;
  HttpProxy?: string;
  HttpsProxy?: string;
  NoProxy?: string;
  Name?: string;
  Labels?: string[];
  ExperimentalBuild?: boolean;
  ServerVersion?: string;
  Runtimes?: Record<string, Runtime>;
  DefaultRuntime?: string;
  Swarm?: SwarmInfo;
  LiveRestoreEnabled?: boolean;
  Isolation?: "default" | "hyperv" | "process" | "";
  InitBinary?: string;
  ContainerdCommit?: Commit;
  RuncCommit?: Commit;
  InitCommit?: Commit;
  SecurityOptions?: string[];
  ProductLicense?: string;
  DefaultAddressPools?: {
    Base?: string;
    Size?: number;
  }[];
  FirewallBackend?: FirewallInfo;
  DiscoveredDevices?: DeviceInfo[];
  Warnings?: string[];
  CDISpecDirs?: string[];
  Containerd?: ContainerdInfo;
};

export type ContainerdInfo = {
  Address?: string;
  Namespaces?: {
    Containers?: string;
    Plugins?: string;
  };
} | null;

export type FirewallInfo = {
  Driver?: string;
  Info?: string[][];
} | null;

export type PluginsInfo = {
  Volume?: string[];
  Network?: string[];
  Authorization?: string[];
  Log?: string[];
};

export type RegistryServiceConfig = {
  InsecureRegistryCIDRs?: string[];
  IndexConfigs?: Record<string, IndexInfo>;
  Mirrors?: string[];
} | null;

export type IndexInfo = {
  Name?: string;
  Mirrors?: string[];
  Secure?: boolean;
  Official?: boolean;
} | null;

export type Runtime = {
  path?: string;
  runtimeArgs?: string[] | null;
  status?: Record<string, string> | null;
};

export type Commit = {
  ID?: string;
};

export type SwarmInfo = {
  NodeID?: string;
  NodeAddr?: string;
  LocalNodeState?: LocalNodeState;
  ControlAvailable?: boolean;
  Error?: string;
  RemoteManagers?: PeerNode[] | null;
  Nodes?: number | null;
  Managers?: number | null;
  Cluster?: ClusterInfo;
};

export type LocalNodeState = "" | "inactive" | "pending" | "active" | "error" | "locked";

export type PeerNode = {
  NodeID?: string;
  Addr?: string;
};

export type NetworkAttachmentConfig = {
  Target?: string;
  Aliases?: string[];
  DriverOpts?: Record<string, string>;
};

export type EventActor = {
  ID?: string;
  Attributes?: Record<string, string>;
};

export type EventMessage = {
  Type?: "builder" | "config" | "container" | "daemon" | "image" | "network" | "node" | "plugin" | "secret" | "service" | "volume";
  Action?: string;
  Actor?: EventActor;
  scope?: "local" | "swarm";
  time?: number;
  timeNano?: number;
};

export type OCIDescriptor = {
  mediaType?: string;
  digest?: string;
  size?: number;
  urls?: string[] | null;
  annotations?: Record<string, string> | null;
  data?: string | null;
  platform?: OCIPlatform;
  artifactType?: string | null;
};

export type OCIPlatform = {
  architecture?: string;
  os?: string;
  "os.version"?: string;
  "os.features"?: string[];
  variant?: string;
} | null;

export type DistributionInspect = {
  Descriptor: OCIDescriptor;
  Platforms: OCIPlatform[];
};

export type ClusterVolume = {
  ID?: string;
  Version?: ObjectVersion;
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: ClusterVolumeSpec;
  Info?: {
    CapacityBytes?: number;
    VolumeContext?: Record<string, string>;
    VolumeID?: string;
    AccessibleTopology?: Topology[];
  };
  PublishStatus?: {
    NodeID?: string;
    State?: "pending-publish" | "published" | "pending-node-unpublish" | "pending-controller-unpublish";
    PublishContext?: Record<string, string>;
  }[];
};

export type ClusterVolumeSpec = {
  Group?: string;
  AccessMode?: {
    Scope?: "single" | "multi";
    Sharing?: "none" | "readonly" | "onewriter" | "all";
    MountVolume?: Record<string, unknown>;
    Secrets?: {
      Key?: string;
      Secret?: string;
    }[];
    AccessibilityRequirements?: {
      Requisite?: Topology[];
      Preferred?: Topology[];
    };
    CapacityRange?: {
      RequiredBytes?: number;
      LimitBytes?: number;
    };
    Availability?: "active" | "pause" | "drain";
  };
};

export type Topology = {
  Segments?: Record<string, string>;
};

export type ImageManifestSummary = {
  ID: string;
  Descriptor: OCIDescriptor;
  Available: boolean;
  Size: {
    Total: number;
    Content: number;
  };
  Kind: "image" | "attestation" | "unknown";
  ImageData?: {
    Platform: OCIPlatform;
    Containers: string[];
    Size: {
      Unpacked: number;
    };
  } | null;
  AttestationData?: {
    For: string;
  } | null;
};

/** 200 answer of ContainerList (/containers/json). */
export type ContainerListResponse = ContainerSummary[];

/** Body of ContainerCreate (/containers/create). */
export type ContainerCreateBody = ContainerConfig & {
  HostConfig?: HostConfig;
  NetworkingConfig?: NetworkingConfig;
};

/** 200 answer of ContainerChanges (/containers/{id}/changes). */
export type ContainerChangesResponse = FilesystemChange[];

/** Body of ContainerUpdate (/containers/{id}/update). */
export type ContainerUpdateBody = Resources & {
  RestartPolicy?: RestartPolicy;
};

/** 200 answer of ContainerPrune (/containers/prune). */
export type ContainerPruneResponse = {
  ContainersDeleted?: string[];
  SpaceReclaimed?: number;
};

/** 200 answer of ImageList (/images/json). */
export type ImageListResponse = ImageSummary[];

/** 200 answer of BuildPrune (/build/prune). */
export type BuildPruneResponse = {
  CachesDeleted?: string[];
  SpaceReclaimed?: number;
};

/** 200 answer of ImageHistory (/images/{name}/history). */
export type ImageHistoryResponse = ImageHistoryResponseItem[];

/** 200 answer of ImageDelete (/images/{name}). */
export type ImageDeleteResponse = ImageDeleteResponseItem[];

/** 200 answer of ImageSearch (/images/search). */
export type ImageSearchResponse = {
  description?: string;
  is_official?: boolean;
  is_automated?: boolean;
  name?: string;
  star_count?: number;
}[];

/** 200 answer of ImagePrune (/images/prune). */
export type ImagePruneResponse = {
  ImagesDeleted?: ImageDeleteResponseItem[];
  SpaceReclaimed?: number;
};

/** 200 answer of SystemAuth (/auth). */
export type SystemAuthResponse = {
  Status: string;
  IdentityToken?: string;
};

/** 200 answer of SystemDataUsage (/system/df). */
export type SystemDataUsageResponse = {
  LayersSize?: number;
  Images?: ImageSummary[];
  Containers?: ContainerSummary[];
  Volumes?: Volume[];
  BuildCache?: BuildCache[];
};

/** Body of ContainerExec (/containers/{id}/exec). */
export type ContainerExecBody = {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ConsoleSize?: number[] | null;
  DetachKeys?: string;
  Tty?: boolean;
  Env?: string[];
  Cmd?: string[];
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
};

/** Body of ExecStart (/exec/{id}/start). */
export type ExecStartBody = {
  Detach?: boolean;
  Tty?: boolean;
  ConsoleSize?: number[] | null;
};

/** 200 answer of ExecInspect (/exec/{id}/json). */
export type ExecInspectResponse = {
  CanRemove?: boolean;
  DetachKeys?: string;
  ID?: string;
  Running?: boolean;
  ExitCode?: number;
  ProcessConfig?: ProcessConfig;
  OpenStdin?: boolean;
  OpenStderr?: boolean;
  OpenStdout?: boolean;
  ContainerID?: string;
  Pid?: number;
};

/** Body of VolumeUpdate (/volumes/{name}). */
export type VolumeUpdateBody = {
  Spec?: ClusterVolumeSpec;
};

/** 200 answer of VolumePrune (/volumes/prune). */
export type VolumePruneResponse = {
  VolumesDeleted?: string[];
  SpaceReclaimed?: number;
};

/** 200 answer of NetworkList (/networks). */
export type NetworkListResponse = Network[];

/** Body of NetworkCreate (/networks/create). */
export type NetworkCreateBody = {
  Name: string;
  Driver?: string;
  Scope?: string;
  Internal?: boolean;
  Attachable?: boolean;
  Ingress?: boolean;
  ConfigOnly?: boolean;
  ConfigFrom?: ConfigReference;
  IPAM?: IPAM;
  EnableIPv4?: boolean;
  EnableIPv6?: boolean;
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
};

/** Body of NetworkConnect (/networks/{id}/connect). */
export type NetworkConnectBody = {
  Container?: string;
  EndpointConfig?: EndpointSettings;
};

/** Body of NetworkDisconnect (/networks/{id}/disconnect). */
export type NetworkDisconnectBody = {
  Container?: string;
  Force?: boolean;
};

/** 200 answer of NetworkPrune (/networks/prune). */
export type NetworkPruneResponse = {
  NetworksDeleted?: string[];
};

/** 200 answer of PluginList (/plugins). */
export type PluginListResponse = Plugin[];

/** 200 answer of GetPluginPrivileges (/plugins/privileges). */
export type GetPluginPrivilegesResponse = PluginPrivilege[];

/** Body of PluginPull (/plugins/pull). */
export type PluginPullBody = PluginPrivilege[];

/** Body of PluginUpgrade (/plugins/{name}/upgrade). */
export type PluginUpgradeBody = PluginPrivilege[];

/** Body of PluginSet (/plugins/{name}/set). */
export type PluginSetBody = string[];

/** 200 answer of NodeList (/nodes). */
export type NodeListResponse = Node[];

/** Body of SwarmInit (/swarm/init). */
export type SwarmInitBody = {
  ListenAddr?: string;
  AdvertiseAddr?: string;
  DataPathAddr?: string;
  DataPathPort?: number;
  DefaultAddrPool?: string[];
  ForceNewCluster?: boolean;
  SubnetSize?: number;
  Spec?: SwarmSpec;
};

/** Body of SwarmJoin (/swarm/join). */
export type SwarmJoinBody = {
  ListenAddr: string;
  AdvertiseAddr?: string;
  DataPathAddr?: string;
  RemoteAddrs: string[];
  JoinToken: string;
};

/** 200 answer of SwarmUnlockkey (/swarm/unlockkey). */
export type SwarmUnlockkeyResponse = {
  UnlockKey?: string;
};

/** Body of SwarmUnlock (/swarm/unlock). */
export type SwarmUnlockBody = {
  UnlockKey?: string;
};

/** 200 answer of ServiceList (/services). */
export type ServiceListResponse = Service[];

/** Body of ServiceCreate (/services/create). */
export type ServiceCreateBody = ServiceSpec & Record<string, unknown>;

/** Body of ServiceUpdate (/services/{id}/update). */
export type ServiceUpdateBody = ServiceSpec & Record<string, unknown>;

/** 200 answer of TaskList (/tasks). */
export type TaskListResponse = Task[];

/** 200 answer of SecretList (/secrets). */
export type SecretListResponse = Secret[];

/** Body of SecretCreate (/secrets/create). */
export type SecretCreateBody = SecretSpec & Record<string, unknown>;

/** 200 answer of ConfigList (/configs). */
export type ConfigListResponse = Config[];

/** Body of ConfigCreate (/configs/create). */
export type ConfigCreateBody = ConfigSpec & Record<string, unknown>;
