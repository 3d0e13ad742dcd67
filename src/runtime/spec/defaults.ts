/**
 * Docker's defaults for Linux containers: the base mounts, the paths hidden
 * or made read-only under /proc and /sys, and the device-cgroup allow list.
 * Each call returns fresh objects so callers may mutate them.
 */
import { existsSync, readFileSync } from "node:fs";
import type { OciDeviceCgroup, OciMount } from "./types.js";

export const DEFAULT_PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** 64 MiB, Docker's default /dev/shm size. */
export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

/** The kernel filesystems every container gets, in mount order. /dev/shm's size is added by the caller. */
export function defaultMounts(): OciMount[] {
  return [
    { destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"] },
    { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
    {
      destination: "/dev/pts",
      type: "devpts",
      source: "devpts",
      options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
    },
    { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
    { destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["ro", "nosuid", "noexec", "nodev"] },
    { destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"] },
    { destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777"] },
  ];
}

let maskedCache: string[] | undefined;

/**
 * Paths the runtime hides (bind /dev/null or an empty ro tmpfs over them):
 * host information leaks and attack surface. Includes each CPU's
 * thermal_throttle directory that exists on this host (interrupt counters leak).
 */
export function defaultMaskedPaths(): string[] {
  if (!maskedCache) {
    const paths = [
      "/proc/acpi",
      "/proc/asound",
      "/proc/interrupts",
      "/proc/kcore",
      "/proc/keys",
      "/proc/latency_stats",
      "/proc/sched_debug",
      "/proc/scsi",
      "/proc/timer_list",
      "/proc/timer_stats",
      "/sys/devices/virtual/powercap",
      "/sys/firmware",
    ];
    for (const cpu of possibleCpus()) {
      const p = `/sys/devices/system/cpu/cpu${cpu}/thermal_throttle`;
      if (existsSync(p)) paths.push(p);
    }
    maskedCache = paths;
  }
  return [...maskedCache];
}

/** CPU numbers from /sys/devices/system/cpu/possible ("0-3,6"). */
function possibleCpus(): number[] {
  let text: string;
  try {
    text = readFileSync("/sys/devices/system/cpu/possible", "utf8").trim();
  } catch {
    return [];
  }
  const cpus: number[] = [];
  for (const part of text.split(",")) {
    const [a, b] = part.split("-").map(Number);
    if (a === undefined || Number.isNaN(a)) continue;
    for (let i = a; i <= (b ?? a); i++) cpus.push(i);
  }
  return cpus;
}

/** Kernel interfaces left visible but read-only. */
export function defaultReadonlyPaths(): string[] {
  return ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];
}

const rule = (type: "c" | "b", major: number | undefined, minor: number | undefined, access: string, allow = true): OciDeviceCgroup => {
  const r: OciDeviceCgroup = { allow, type, access };
  if (major !== undefined) r.major = major;
  if (minor !== undefined) r.minor = minor;
  return r;
};

/**
 * Device-cgroup rules for an unprivileged container: deny everything, allow
 * the standard character devices (null, zero, full, random, urandom, tty,
 * console, ptmx, pts/*), and explicitly deny /dev/fuse. tun/tap is not
 * allowed (runc ≥ 1.2 dropped it). No "c *:* m" wildcard: on cgroup v1 runc
 * cannot deny a device inside a wildcard allow, and both runtimes add their
 * own mknod defaults.
 */
export function defaultDeviceRules(): OciDeviceCgroup[] {
  return [
    { allow: false, access: "rwm" },
    rule("c", 1, 3, "rwm"), // null
    rule("c", 1, 5, "rwm"), // zero
    rule("c", 1, 7, "rwm"), // full
    rule("c", 1, 8, "rwm"), // random
    rule("c", 1, 9, "rwm"), // urandom
    rule("c", 5, 0, "rwm"), // tty
    rule("c", 5, 1, "rwm"), // console
    rule("c", 5, 2, "rwm"), // ptmx
    rule("c", 136, undefined, "rwm"), // pts/*
    rule("c", 10, 229, "rwm", false), // fuse
  ];
}

/** Sysctls Docker sets in a fresh network namespace, when the host kernel has them. */
export function defaultNetworkSysctls(): Record<string, string> {
  const out: Record<string, string> = {};
  if (existsSync("/proc/sys/net/ipv4/ping_group_range")) out["net.ipv4.ping_group_range"] = "0 2147483647";
  if (existsSync("/proc/sys/net/ipv4/ip_unprivileged_port_start")) out["net.ipv4.ip_unprivileged_port_start"] = "0";
  return out;
}
