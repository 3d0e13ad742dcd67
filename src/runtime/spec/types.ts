/**
 * OCI runtime-spec `config.json` types (runtime-spec 1.x, Linux subset), keeping
 * the standard's JSON names. Field notes restate the spec's MUST/REQUIRED rules
 * that matter to wharf. The JSON schema in ./schema is the authority; tests
 * validate generated specs against it.
 */

export const OCI_VERSION = "1.1.0";

export interface OciSpec {
  /** REQUIRED: the runtime-spec version the document follows. */
  ociVersion: string;
  /** REQUIRED on Linux: the container's root filesystem. */
  root: OciRoot;
  process?: OciProcess;
  /** Only valid with a private UTS namespace. */
  hostname?: string;
  /** Only valid with a private UTS namespace. */
  domainname?: string;
  /** Mounted in order, after the root filesystem. */
  mounts?: OciMount[];
  hooks?: OciHooks;
  annotations?: Record<string, string>;
  linux?: OciLinux;
}

export interface OciRoot {
  /** Path to the rootfs, absolute or relative to the bundle. */
  path: string;
  readonly?: boolean;
}

export interface OciProcess {
  terminal?: boolean;
  consoleSize?: { height: number; width: number };
  /** REQUIRED: the user the process runs as. */
  user: OciUser;
  /** REQUIRED non-empty for `create`; args[0] is resolved in the container's PATH by the runtime. */
  args: string[];
  env?: string[];
  /** REQUIRED: absolute path inside the container. */
  cwd: string;
  capabilities?: OciCapabilities;
  rlimits?: OciRlimit[];
  noNewPrivileges?: boolean;
  apparmorProfile?: string;
  oomScoreAdj?: number;
  selinuxLabel?: string;
}

export interface OciUser {
  uid: number;
  gid: number;
  umask?: number;
  additionalGids?: number[];
}

export interface OciCapabilities {
  bounding?: string[];
  effective?: string[];
  inheritable?: string[];
  permitted?: string[];
  ambient?: string[];
}

export interface OciRlimit {
  /** "RLIMIT_NOFILE", ... */
  type: string;
  soft: number;
  hard: number;
}

export interface OciMount {
  /** REQUIRED: absolute path inside the container. */
  destination: string;
  source?: string;
  /** "bind", "tmpfs", "proc", ...; bind mounts are recognised by the "bind"/"rbind" option. */
  type?: string;
  options?: string[];
}

export interface OciHook {
  path: string;
  args?: string[];
  env?: string[];
  timeout?: number;
}

export interface OciHooks {
  prestart?: OciHook[];
  createRuntime?: OciHook[];
  createContainer?: OciHook[];
  startContainer?: OciHook[];
  poststart?: OciHook[];
  poststop?: OciHook[];
}

export type OciNamespaceType = "pid" | "network" | "mount" | "ipc" | "uts" | "user" | "cgroup" | "time";

export interface OciNamespace {
  type: OciNamespaceType;
  /** When set, join the namespace at this path instead of creating one. */
  path?: string;
}

export interface OciDevice {
  /** "c", "b", "u" or "p". */
  type: string;
  path: string;
  major?: number;
  minor?: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

/** A device-cgroup rule; omitted major/minor mean "any". */
export interface OciDeviceCgroup {
  allow: boolean;
  type?: "a" | "b" | "c";
  major?: number;
  minor?: number;
  access?: string;
}

/** A per-device I/O limit (bytes or operations per second). */
export interface OciThrottleDevice {
  major: number;
  minor: number;
  rate: number;
}

export interface OciResources {
  devices?: OciDeviceCgroup[];
  memory?: {
    limit?: number;
    reservation?: number;
    swap?: number;
    kernel?: number;
    kernelTCP?: number;
    swappiness?: number;
    disableOOMKiller?: boolean;
  };
  cpu?: {
    shares?: number;
    quota?: number;
    period?: number;
    realtimeRuntime?: number;
    realtimePeriod?: number;
    cpus?: string;
    mems?: string;
  };
  pids?: { limit: number };
  blockIO?: {
    weight?: number;
    leafWeight?: number;
    weightDevice?: { major: number; minor: number; weight?: number; leafWeight?: number }[];
    throttleReadBpsDevice?: OciThrottleDevice[];
    throttleWriteBpsDevice?: OciThrottleDevice[];
    throttleReadIOPSDevice?: OciThrottleDevice[];
    throttleWriteIOPSDevice?: OciThrottleDevice[];
  };
  unified?: Record<string, string>;
}

export interface OciSeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

export interface OciSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: OciSeccompArg[];
}

export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls?: OciSyscall[];
}

export interface OciLinux {
  namespaces?: OciNamespace[];
  uidMappings?: { containerID: number; hostID: number; size: number }[];
  gidMappings?: { containerID: number; hostID: number; size: number }[];
  devices?: OciDevice[];
  /** Absolute paths are relative to the cgroup mount point (cgroupfs driver). */
  cgroupsPath?: string;
  resources?: OciResources;
  rootfsPropagation?: string;
  seccomp?: OciSeccomp;
  sysctl?: Record<string, string>;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  mountLabel?: string;
}
