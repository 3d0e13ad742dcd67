/**
 * Capability sets the way Docker computes them: a default set, tweaked by
 * --cap-add/--cap-drop (with the "ALL" keyword), or everything the daemon
 * holds for --privileged.
 */
import { InvalidArgumentError } from "../../lib/errors.js";

/** Kernel capability numbers → names, in bit order (linux/capability.h). */
export const CAPABILITY_NAMES: readonly string[] = [
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
  "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
  "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
  "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
];

/** What an unprivileged Docker container gets. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
  "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
];

const ALL = "ALL";

/**
 * Upper-cases names, adds the CAP_ prefix and validates them. "ALL" passes through.
 * @throws InvalidArgumentError for unknown names or ones the daemon does not hold.
 */
export function normalizeCapabilities(names: readonly string[], available: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of names) {
    let name = raw.trim().toUpperCase();
    if (name === ALL) {
      out.push(ALL);
      continue;
    }
    if (!name.startsWith("CAP_")) name = "CAP_" + name;
    if (!CAPABILITY_NAMES.includes(name)) throw new InvalidArgumentError(`unknown capability: ${JSON.stringify(name)}`);
    if (!available.includes(name)) {
      throw new InvalidArgumentError(
        `capability not supported by your kernel or not available in the current environment: ${JSON.stringify(name)}`,
      );
    }
    out.push(name);
  }
  return out;
}

export interface CapabilityRequest {
  capAdd: readonly string[];
  capDrop: readonly string[];
  privileged: boolean;
  /** The daemon's bounding set: the most any container can have. */
  available?: readonly string[];
}

/**
 * The container's capability set. Privileged → everything available;
 * add ALL → everything except the drops; drop ALL → only the adds;
 * otherwise defaults minus drops plus adds.
 */
export function resolveCapabilities(req: CapabilityRequest): string[] {
  const available = req.available ?? CAPABILITY_NAMES;
  if (req.privileged) return [...available];
  if (req.capAdd.length === 0 && req.capDrop.length === 0) return DEFAULT_CAPABILITIES.filter((c) => available.includes(c));
  const drop = normalizeCapabilities(req.capDrop, available);
  const add = normalizeCapabilities(req.capAdd, available);
  let caps: string[];
  if (add.includes(ALL)) caps = available.filter((c) => !drop.includes(c));
  else if (drop.includes(ALL)) caps = add;
  else caps = [...DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c) && available.includes(c)), ...add];
  return [...new Set(caps)];
}
