/**
 * Facts about the host that shape container specs: cgroup layout, resource
 * limits the daemon may grant, CPU/memory totals and the kernel release.
 * Detected once per process (they do not change while the daemon runs).
 */
import { readFile, statfs } from "node:fs/promises";
import { availableParallelism, release, totalmem } from "node:os";
import { CAPABILITY_NAMES } from "./spec/capabilities.js";

export interface HostInfo {
  /** 2 when /sys/fs/cgroup is a cgroup2 mount (unified), else 1. */
  cgroupVersion: 1 | 2;
  /** v1 host that also has controllers enabled in a cgroup2 hierarchy at /sys/fs/cgroup/unified. */
  cgroupHybrid: boolean;
  /** The daemon's hard RLIMIT_NOFILE: containers cannot be given more without CAP_SYS_RESOURCE. */
  nofileHardLimit: number;
  ncpu: number;
  /** Bytes. */
  memTotal: number;
  /** `uname -r`, e.g. "6.1.0-18-amd64". */
  kernelVersion: string;
  /**
   * Capabilities in the daemon's bounding set ("CAP_CHOWN", ...): what
   * "ALL" and --privileged can grant. Absent means every capability the kernel knows.
   */
  boundingCaps?: string[];
  /** Hard limits of the daemon by OCI rlimit type ("RLIMIT_NPROC"); null = unlimited. */
  rlimitHard?: Record<string, number | null>;
}

const CGROUP2_MAGIC = 0x63677270;

let cached: Promise<HostInfo> | undefined;

/** Detects host facts once and caches them for the life of the process. */
export function detectHostInfo(): Promise<HostInfo> {
  cached ??= detect();
  return cached;
}

async function detect(): Promise<HostInfo> {
  const [cgroupVersion, cgroupHybrid, limits, memTotal, boundingCaps] = await Promise.all([
    detectCgroupVersion(),
    detectHybrid(),
    readRlimits(),
    readMemTotal(),
    readBoundingCaps(),
  ]);
  const nofile = limits["RLIMIT_NOFILE"];
  return {
    cgroupVersion,
    cgroupHybrid: cgroupVersion === 1 && cgroupHybrid,
    nofileHardLimit: nofile === null || nofile === undefined ? 1048576 : nofile,
    ncpu: availableParallelism(),
    memTotal,
    kernelVersion: release(),
    boundingCaps,
    rlimitHard: limits,
  };
}

async function isCgroup2(path: string): Promise<boolean> {
  try {
    return (await statfs(path)).type === CGROUP2_MAGIC;
  } catch {
    return false;
  }
}

async function detectCgroupVersion(): Promise<1 | 2> {
  return (await isCgroup2("/sys/fs/cgroup")) ? 2 : 1;
}

/** Hybrid means the unified hierarchy actually owns controllers; an empty one is harmless. */
async function detectHybrid(): Promise<boolean> {
  if (!(await isCgroup2("/sys/fs/cgroup/unified"))) return false;
  try {
    const controllers = await readFile("/sys/fs/cgroup/unified/cgroup.controllers", "utf8");
    return controllers.trim() !== "";
  } catch {
    return false;
  }
}

/** /proc/self/limits names → OCI rlimit types. */
const LIMIT_NAMES: Record<string, string> = {
  "Max cpu time": "RLIMIT_CPU",
  "Max file size": "RLIMIT_FSIZE",
  "Max data size": "RLIMIT_DATA",
  "Max stack size": "RLIMIT_STACK",
  "Max core file size": "RLIMIT_CORE",
  "Max resident set": "RLIMIT_RSS",
  "Max processes": "RLIMIT_NPROC",
  "Max open files": "RLIMIT_NOFILE",
  "Max locked memory": "RLIMIT_MEMLOCK",
  "Max address space": "RLIMIT_AS",
  "Max file locks": "RLIMIT_LOCKS",
  "Max pending signals": "RLIMIT_SIGPENDING",
  "Max msgqueue size": "RLIMIT_MSGQUEUE",
  "Max nice priority": "RLIMIT_NICE",
  "Max realtime priority": "RLIMIT_RTPRIO",
  "Max realtime timeout": "RLIMIT_RTTIME",
};

/** Parses /proc/self/limits: columns are name, soft, hard, units. */
export function parseProcLimits(text: string): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const line of text.split("\n").slice(1)) {
    const name = Object.keys(LIMIT_NAMES).find((n) => line.startsWith(n + " "));
    if (!name) continue;
    const fields = line.slice(name.length).trim().split(/\s+/);
    const hard = fields[1];
    if (hard === undefined) continue;
    out[LIMIT_NAMES[name]!] = hard === "unlimited" ? null : Number(hard);
  }
  return out;
}

async function readRlimits(): Promise<Record<string, number | null>> {
  try {
    return parseProcLimits(await readFile("/proc/self/limits", "utf8"));
  } catch {
    return {};
  }
}

async function readMemTotal(): Promise<number> {
  try {
    const m = /^MemTotal:\s+(\d+)\s*kB/m.exec(await readFile("/proc/meminfo", "utf8"));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // fall through to the os module
  }
  return totalmem();
}

/** Decodes a CapBnd-style hex mask into capability names the kernel and wharf both know. */
export function capsFromMask(hex: string): string[] {
  const mask = BigInt("0x" + hex);
  return CAPABILITY_NAMES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

async function readBoundingCaps(): Promise<string[] | undefined> {
  try {
    const m = /^CapBnd:\s*([0-9a-f]+)/m.exec(await readFile("/proc/self/status", "utf8"));
    return m ? capsFromMask(m[1]!) : undefined;
  } catch {
    return undefined;
  }
}
