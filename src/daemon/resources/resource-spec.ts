/**
 * HostConfig resource fields (Docker's names) → OCI `linux.resources`, the
 * way dockerd's getCgroupConfig/withResources translate them. Also used for
 * live updates (`crun update --resources`).
 */
import { statSync } from "node:fs";
import { InvalidArgumentError } from "../../lib/errors.js";
import { splitDev } from "../../runtime/spec/host-devices.js";
import type { OciDevice, OciDeviceCgroup, OciResources, OciThrottleDevice } from "../../runtime/spec/types.js";

export interface DockerResources {
  Memory?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  MemorySwappiness?: number | null;
  OomKillDisable?: boolean | null;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  NanoCpus?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  CpuRealtimePeriod?: number;
  CpuRealtimeRuntime?: number;
  PidsLimit?: number | null;
  BlkioWeight?: number;
  BlkioWeightDevice?: { Path: string; Weight: number }[] | null;
  BlkioDeviceReadBps?: { Path: string; Rate: number }[] | null;
  BlkioDeviceWriteBps?: { Path: string; Rate: number }[] | null;
  BlkioDeviceReadIOps?: { Path: string; Rate: number }[] | null;
  BlkioDeviceWriteIOps?: { Path: string; Rate: number }[] | null;
  Devices?: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[] | null;
  DeviceCgroupRules?: string[] | null;
}

function devNumbers(p: string): { major: number; minor: number; type: "b" | "c"; mode: number; uid: number; gid: number } {
  let st;
  try {
    st = statSync(p, { bigint: true });
  } catch {
    throw new InvalidArgumentError(`error gathering device information while adding custom device "${p}": no such file or directory`);
  }
  if (!st.isBlockDevice() && !st.isCharacterDevice()) throw new InvalidArgumentError(`error gathering device information while adding custom device "${p}": not a device node`);
  return { ...splitDev(st.rdev), type: st.isBlockDevice() ? "b" : "c", mode: Number(st.mode & 0o777n), uid: Number(st.uid), gid: Number(st.gid) };
}

function throttle(list: { Path: string; Rate: number }[] | null | undefined): OciThrottleDevice[] | undefined {
  if (!list?.length) return undefined;
  return list.map((t) => {
    const d = devNumbers(t.Path);
    return { major: d.major, minor: d.minor, rate: t.Rate };
  });
}

/** "c 1:3 rwm", "b *:* m". */
function parseRule(rule: string): OciDeviceCgroup {
  const m = /^([acb]) (\d+|\*):(\d+|\*) ([rwm]{1,3})$/.exec(rule.trim());
  if (!m) throw new InvalidArgumentError(`invalid device cgroup rule format: '${rule}'`);
  const num = (s: string) => (s === "*" ? undefined : Number(s));
  return { allow: true, type: m[1] as "a" | "b" | "c", major: num(m[2]!), minor: num(m[3]!), access: m[4] };
}

/** Only the fields that are set, so an update leaves the others alone. */
export function toOciResources(r: DockerResources, opts: { blkioWeight: boolean }): OciResources {
  const out: OciResources = {};
  const mem: NonNullable<OciResources["memory"]> = {};
  if (r.Memory) mem.limit = r.Memory;
  if (r.MemoryReservation) mem.reservation = r.MemoryReservation;
  if (r.MemorySwap && (r.Memory || r.MemorySwap === -1)) mem.swap = r.MemorySwap;
  if (r.MemorySwappiness !== undefined && r.MemorySwappiness !== null && r.MemorySwappiness >= 0) mem.swappiness = r.MemorySwappiness;
  if (r.OomKillDisable) mem.disableOOMKiller = true;
  if (Object.keys(mem).length) out.memory = mem;
  const cpu: NonNullable<OciResources["cpu"]> = {};
  if (r.CpuShares) cpu.shares = r.CpuShares;
  if (r.NanoCpus) {
    cpu.period = 100_000;
    cpu.quota = Math.round((r.NanoCpus * 100_000) / 1e9);
  } else {
    if (r.CpuPeriod) cpu.period = r.CpuPeriod;
    if (r.CpuQuota && r.CpuQuota > 0) cpu.quota = r.CpuQuota; // negative: no quota (the default)
  }
  if (r.CpusetCpus) cpu.cpus = r.CpusetCpus;
  if (r.CpusetMems) cpu.mems = r.CpusetMems;
  if (r.CpuRealtimePeriod) cpu.realtimePeriod = r.CpuRealtimePeriod;
  if (r.CpuRealtimeRuntime) cpu.realtimeRuntime = r.CpuRealtimeRuntime;
  if (Object.keys(cpu).length) out.cpu = cpu;
  if (r.PidsLimit !== undefined && r.PidsLimit !== null && r.PidsLimit !== 0) out.pids = { limit: r.PidsLimit > 0 ? r.PidsLimit : -1 };
  const bio: NonNullable<OciResources["blockIO"]> = {};
  if (r.BlkioWeight && opts.blkioWeight) bio.weight = r.BlkioWeight;
  if (r.BlkioWeightDevice?.length && opts.blkioWeight) {
    bio.weightDevice = r.BlkioWeightDevice.map((w) => ({ ...pick(devNumbers(w.Path)), weight: w.Weight }));
  }
  bio.throttleReadBpsDevice = throttle(r.BlkioDeviceReadBps);
  bio.throttleWriteBpsDevice = throttle(r.BlkioDeviceWriteBps);
  bio.throttleReadIOPSDevice = throttle(r.BlkioDeviceReadIOps);
  bio.throttleWriteIOPSDevice = throttle(r.BlkioDeviceWriteIOps);
  for (const k of Object.keys(bio) as (keyof typeof bio)[]) if (bio[k] === undefined) delete bio[k];
  if (Object.keys(bio).length) out.blockIO = bio;
  return out;
}

function pick(d: { major: number; minor: number }) {
  return { major: d.major, minor: d.minor };
}

/** --device and --device-cgroup-rule: device nodes to create plus cgroup allow rules. */
export function toOciDevices(r: DockerResources): { nodes: OciDevice[]; rules: OciDeviceCgroup[] } {
  const nodes: OciDevice[] = [];
  const rules: OciDeviceCgroup[] = [];
  for (const d of r.Devices ?? []) {
    const n = devNumbers(d.PathOnHost);
    const perms = d.CgroupPermissions || "rwm";
    if (!/^[rwm]{1,3}$/.test(perms)) throw new InvalidArgumentError(`invalid device mode: ${perms}`);
    nodes.push({ path: d.PathInContainer || d.PathOnHost, type: n.type, major: n.major, minor: n.minor, fileMode: n.mode, uid: n.uid, gid: n.gid });
    rules.push({ allow: true, type: n.type, major: n.major, minor: n.minor, access: perms });
  }
  for (const rule of r.DeviceCgroupRules ?? []) rules.push(parseRule(rule));
  return { nodes, rules };
}
