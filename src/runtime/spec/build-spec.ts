/**
 * Turns a container's configuration into the OCI runtime `config.json` that
 * crun/runc execute, following Docker's choices for every default.
 */
import { isAbsolute } from "node:path";
import { InvalidArgumentError } from "../../lib/errors.js";
import type { HostInfo } from "../host-info.js";
import { resolveCapabilities } from "./capabilities.js";
import { DEFAULT_SHM_SIZE, defaultDeviceRules, defaultMaskedPaths, defaultNetworkSysctls, defaultReadonlyPaths } from "./defaults.js";
import { hostDevices } from "./host-devices.js";
import { buildRlimits, validateSysctls, type Ulimit } from "./limits.js";
import { buildMounts, INIT_PATH_IN_CONTAINER } from "./mounts.js";
import { buildEnv } from "./process-env.js";
import { convertProfile, loadDefaultProfile, nativeArch, parseProfile } from "./seccomp.js";
import { parseSecurityOpts } from "./security-opts.js";
import { OCI_VERSION, type OciCapabilities, type OciDevice, type OciMount, type OciResources, type OciNamespace, type OciSpec } from "./types.js";
import { readUserDatabaseFromLayers, resolveUser, resolveUserIn } from "./user.js";

export type NetworkSpec = { mode: "none" | "host" | "private" } | { mode: "path"; path: string };

/** What the daemon knows about a container when it is about to start it. */
export interface SpecInput {
  /** Container id (64 hex). */
  id: string;
  /** Absolute path of the rootfs (mounted by the time the runtime runs). */
  rootfsPath: string;
  /** When the rootfs is not mounted yet: its layer dirs, top first, to read /etc/passwd and /etc/group from. */
  userDbLayers?: string[];
  /** Resolved Entrypoint + Cmd; must not be empty. */
  args: string[];
  /** "K=V" from the image, then the container. */
  env: string[];
  /** "" means "/". */
  cwd: string;
  /** "", "uid", "uid:gid", "name", "name:group", ... resolved in the rootfs. */
  user: string;
  groupAdd?: string[];
  tty: boolean;
  /** Initial terminal size (with `tty`), set by the runtime before the process starts. */
  consoleSize?: { height: number; width: number };
  openStdin: boolean;
  hostname: string;
  domainname: string;
  /** none/private: a new netns (loopback only until the daemon wires it); path: join the netns at path. */
  network: NetworkSpec;
  ipc?: "private" | "host" | "shareable";
  pid?: "private" | "host";
  uts?: "private" | "host";
  /** Default: private on cgroup v2, host on v1 (Docker's default). */
  cgroupns?: "private" | "host";
  privileged: boolean;
  /** "NET_ADMIN", "CAP_NET_ADMIN", "ALL". */
  capAdd: string[];
  capDrop: string[];
  readonlyRootfs: boolean;
  /** Host files bind-mounted at /etc/hostname, /etc/hosts, /etc/resolv.conf ("" skips one). */
  etcFiles: { hostname: string; hosts: string; resolvConf: string };
  /** Bytes; default 64 MiB. */
  shmSize?: number;
  /** Absolute cgroup path, e.g. "/wharf/<id>". */
  cgroupsPath: string;
  /** When set (and the pid namespace is private): run tini from hostPath as PID 1. */
  init?: { hostPath: string };
  securityOpt?: string[];
  extraMounts?: OciMount[];
  sysctls?: Record<string, string>;
  ulimits?: Ulimit[];
  /** Override the default masked / read-only paths when given (an empty list disables them). */
  maskedPaths?: string[];
  readonlyPaths?: string[];
  /** linux.resources from the container's limits; its device rules are appended to the defaults. */
  resources?: OciResources;
  /** Extra device nodes (--device). */
  devices?: OciDevice[];
}

function checkInput(input: SpecInput): void {
  if (input.args.length === 0) throw new InvalidArgumentError("no command specified");
  if (!isAbsolute(input.rootfsPath)) throw new InvalidArgumentError(`rootfs path must be absolute: ${input.rootfsPath}`);
  if (!isAbsolute(input.cgroupsPath)) throw new InvalidArgumentError(`cgroups path must be absolute: ${input.cgroupsPath}`);
  if (input.cwd !== "" && !isAbsolute(input.cwd)) {
    throw new InvalidArgumentError(`the working directory '${input.cwd}' is invalid, it needs to be an absolute path`);
  }
}

function namespaces(input: SpecInput, host: HostInfo): OciNamespace[] {
  const ns: OciNamespace[] = [{ type: "mount" }];
  if (input.network.mode === "path") ns.push({ type: "network", path: input.network.path });
  else if (input.network.mode !== "host") ns.push({ type: "network" });
  if (input.uts !== "host") ns.push({ type: "uts" });
  if (input.pid !== "host") ns.push({ type: "pid" });
  if (input.ipc !== "host") ns.push({ type: "ipc" });
  const cgroupns = input.cgroupns ?? (host.cgroupVersion === 2 ? "private" : "host");
  if (cgroupns === "private") ns.push({ type: "cgroup" });
  return ns;
}

/**
 * Builds the OCI spec. Reads the rootfs's /etc/passwd and /etc/group.
 * @throws InvalidArgumentError for unknown users/groups/capabilities, bad
 * security options, sysctls or ulimits.
 */
export async function buildSpec(input: SpecInput, host: HostInfo): Promise<OciSpec> {
  checkInput(input);
  const sec = parseSecurityOpts(input.securityOpt);
  const user = input.userDbLayers
    ? resolveUserIn(await readUserDatabaseFromLayers(input.userDbLayers), input.user, input.groupAdd ?? [])
    : await resolveUser(input.rootfsPath, input.user, input.groupAdd ?? []);
  const caps = resolveCapabilities({
    capAdd: input.capAdd,
    capDrop: input.capDrop,
    privileged: input.privileged,
    available: host.boundingCaps,
  });
  // Non-root processes get capabilities only in the bounding set, as after a plain execve.
  const capabilities: OciCapabilities =
    user.uid === 0 ? { bounding: caps, effective: [...caps], permitted: [...caps] } : { bounding: caps };

  const pidPrivate = input.pid !== "host";
  const useInit = input.init !== undefined && pidPrivate;
  const args = useInit ? [INIT_PATH_IN_CONTAINER, "--", ...input.args] : [...input.args];
  const utsPrivate = input.uts !== "host";

  const spec: OciSpec = {
    ociVersion: OCI_VERSION,
    root: { path: input.rootfsPath, readonly: input.readonlyRootfs },
    process: {
      terminal: input.tty,
      user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
      args,
      env: buildEnv({ env: input.env, hostname: input.hostname, tty: input.tty, home: user.home }),
      cwd: input.cwd || "/",
      capabilities,
    },
    mounts: buildMounts({
      etcFiles: input.etcFiles,
      extraMounts: input.extraMounts ?? [],
      shmSize: input.shmSize && input.shmSize > 0 ? input.shmSize : DEFAULT_SHM_SIZE,
      readonlyRootfs: input.readonlyRootfs,
      privileged: input.privileged,
      ipcHost: input.ipc === "host",
      writableCgroups: sec.writableCgroups,
      initHostPath: useInit ? input.init!.hostPath : undefined,
    }),
    linux: {
      namespaces: namespaces(input, host),
      cgroupsPath: input.cgroupsPath,
      resources: {
        ...(input.resources ?? {}),
        devices: [...(input.privileged ? [{ allow: true, access: "rwm" }] : defaultDeviceRules()), ...(input.resources?.devices ?? [])],
      },
      maskedPaths: input.privileged ? [] : [...(input.maskedPaths ?? defaultMaskedPaths())],
      readonlyPaths: input.privileged ? [] : [...(input.readonlyPaths ?? defaultReadonlyPaths())],
    },
  };
  const proc = spec.process!;
  const linux = spec.linux!;
  if (utsPrivate && input.hostname) spec.hostname = input.hostname;
  if (utsPrivate && input.domainname) spec.domainname = input.domainname;
  if (sec.noNewPrivileges) proc.noNewPrivileges = true;
  if (input.tty && input.consoleSize && (input.consoleSize.height > 0 || input.consoleSize.width > 0)) proc.consoleSize = { ...input.consoleSize };
  if (input.ulimits && input.ulimits.length > 0) {
    const rlimits = buildRlimits(input.ulimits, host);
    if (rlimits.length > 0) proc.rlimits = rlimits;
  }
  if (input.privileged) linux.devices = await hostDevices();
  if (input.devices?.length) {
    const extra = input.devices;
    linux.devices = [...(linux.devices ?? []).filter((d) => !extra.some((x) => x.path === d.path)), ...extra];
  }

  const userSysctls = input.sysctls ?? {};
  validateSysctls(userSysctls, {
    hostNetwork: input.network.mode === "host",
    hostIpc: input.ipc === "host",
    hostUts: !utsPrivate,
  });
  // Docker's defaults apply to a network namespace of the container's own; user values win.
  const sysctl = { ...(input.network.mode === "host" ? {} : defaultNetworkSysctls()), ...userSysctls };
  if (Object.keys(sysctl).length > 0) linux.sysctl = sysctl;

  if (!input.privileged && sec.seccomp !== "unconfined") {
    const profile = sec.seccomp === "default" ? loadDefaultProfile() : parseProfile(sec.seccomp);
    linux.seccomp = convertProfile(profile, { ...nativeArch(), kernelVersion: host.kernelVersion, caps });
  }
  return spec;
}
