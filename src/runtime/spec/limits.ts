/**
 * Per-container kernel knobs: rlimits from --ulimit (clamped to what the
 * daemon itself may grant) and namespaced sysctls from --sysctl.
 */
import { InvalidArgumentError } from "../../lib/errors.js";
import type { HostInfo } from "../host-info.js";
import type { OciRlimit } from "./types.js";

export interface Ulimit {
  Name: string;
  Soft: number;
  Hard: number;
}

const ULIMIT_NAMES = [
  "as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
  "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",
];

/** The host's hard limit for an rlimit type; Infinity when unknown or unlimited. */
function hostHard(type: string, host: HostInfo): number {
  if (type === "RLIMIT_NOFILE") return host.nofileHardLimit;
  const v = host.rlimitHard?.[type];
  return v === undefined || v === null ? Infinity : v;
}

/**
 * OCI rlimits for --ulimit values. -1 means unlimited. Limits above the
 * daemon's own hard limit are lowered to it: without CAP_SYS_RESOURCE the
 * runtime cannot raise them and the container would fail to start.
 * A limit that stays unlimited is left out (the process inherits it).
 * @throws InvalidArgumentError for unknown names or soft > hard.
 */
export function buildRlimits(ulimits: readonly Ulimit[], host: HostInfo): OciRlimit[] {
  const out: OciRlimit[] = [];
  for (const u of ulimits) {
    const name = u.Name.toLowerCase();
    if (!ULIMIT_NAMES.includes(name)) throw new InvalidArgumentError(`invalid ulimit type: ${u.Name}`);
    const want = (n: number) => (n < 0 ? Infinity : n);
    let hard = want(u.Hard);
    let soft = want(u.Soft);
    if (soft > hard) throw new InvalidArgumentError(`ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`);
    const type = "RLIMIT_" + name.toUpperCase();
    hard = Math.min(hard, hostHard(type, host));
    soft = Math.min(soft, hard);
    if (hard === Infinity) continue;
    out.push({ type, soft, hard });
  }
  return out;
}

/** IPC-namespace sysctls (plus the fs.mqueue.* prefix). */
const IPC_SYSCTLS = [
  "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
  "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
];
const UTS_SYSCTLS = ["kernel.domainname", "kernel.hostname"];

export interface NamespaceModes {
  hostNetwork: boolean;
  hostIpc: boolean;
  hostUts: boolean;
}

/**
 * Checks that every sysctl belongs to a namespace the container owns.
 * @throws InvalidArgumentError for host-wide sysctls or ones in a shared host namespace.
 */
export function validateSysctls(sysctls: Record<string, string>, ns: NamespaceModes): void {
  for (const key of Object.keys(sysctls)) {
    if (IPC_SYSCTLS.includes(key) || key.startsWith("fs.mqueue.")) {
      if (ns.hostIpc) throw new InvalidArgumentError(`sysctl ${JSON.stringify(key)} not allowed in host IPC namespace`);
    } else if (key.startsWith("net.")) {
      if (ns.hostNetwork) throw new InvalidArgumentError(`sysctl ${JSON.stringify(key)} not allowed in host network namespace`);
    } else if (UTS_SYSCTLS.includes(key)) {
      if (ns.hostUts) throw new InvalidArgumentError(`sysctl ${JSON.stringify(key)} not allowed in host UTS namespace`);
    } else {
      throw new InvalidArgumentError(`sysctl ${JSON.stringify(key)} is not in a separate kernel namespace`);
    }
  }
}
