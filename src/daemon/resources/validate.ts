/**
 * dockerd's checks of a container's resource settings, with its messages,
 * and its normalisation (swap defaults to twice the memory limit).
 */
import { InvalidArgumentError } from "../../lib/errors.js";
import type { HostInfo } from "../../runtime/host-info.js";
import type { CgroupSupport } from "./cgroup-paths.js";
import type { DockerResources } from "./resource-spec.js";

const MIN_MEMORY = 6 * 1024 * 1024;

/** "0-2,4" → [0,1,2,4]; undefined when malformed. */
export function parseCpuList(s: string): number[] | undefined {
  const out: number[] = [];
  for (const part of s.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) return undefined;
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}

/** @throws InvalidArgumentError with dockerd's wording. Pushes dockerd's warnings. */
export function validateResources(r: DockerResources, host: HostInfo, support: CgroupSupport, warnings: string[], update = false): void {
  const bad = (m: string) => new InvalidArgumentError(m);
  const mem = r.Memory ?? 0;
  const swap = r.MemorySwap ?? 0;
  if (mem !== 0 && mem < MIN_MEMORY) throw bad("Minimum memory limit allowed is 6MB");
  if (!update && swap > 0 && mem === 0) throw bad("You should always set the Memory limit when using Memoryswap limit, see usage");
  if (mem > 0 && swap > 0 && swap < mem) throw bad("Minimum memoryswap limit should be larger than memory limit, see usage");
  // dockerd's fixMemorySwappiness: -1 (the docker CLI's default) means "not set".
  if (r.MemorySwappiness === -1) r.MemorySwappiness = null;
  const sw = r.MemorySwappiness;
  if (sw !== undefined && sw !== null && sw !== -1 && (sw < 0 || sw > 100)) throw bad(`Invalid value: ${sw}, valid memory swappiness range is 0-100`);
  const res = r.MemoryReservation ?? 0;
  if (res !== 0 && res < MIN_MEMORY) throw bad("Minimum memory reservation allowed is 6MB");
  if (mem > 0 && res > 0 && mem < res) throw bad("Minimum memory limit can not be less than memory reservation limit, see usage");
  if (r.OomKillDisable && mem === 0 && !update) {
    warnings.push("OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.");
  }
  const nano = r.NanoCpus ?? 0;
  if (nano > 0 && (r.CpuPeriod ?? 0) > 0) throw bad("Conflicting options: Nano CPUs and CPU Period cannot both be set");
  if (nano > 0 && (r.CpuQuota ?? 0) > 0) throw bad("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
  if (nano < 0 || nano > host.ncpu * 1e9) {
    throw bad(`Range of CPUs is from 0.01 to ${host.ncpu.toFixed(2)}, as there are only ${host.ncpu} CPUs available`);
  }
  if ((r.CpuShares ?? 0) < 0) throw bad(`invalid CPU shares (${r.CpuShares}): value must be a positive integer`);
  const period = r.CpuPeriod ?? 0;
  if (period !== 0 && (period < 1000 || period > 1_000_000)) throw bad("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1 second (i.e. 1000000)");
  const quota = r.CpuQuota ?? 0;
  if (quota > 0 && quota < 1000) throw bad("CPU cfs quota can not be less than 1ms (i.e. 1000)");
  if (r.CpusetCpus) {
    const cpus = parseCpuList(r.CpusetCpus);
    if (!cpus) throw bad(`Invalid value ${r.CpusetCpus} for cpuset cpus`);
    if (cpus.some((c) => c >= host.ncpu)) throw bad(`Requested CPUs are not available - requested ${r.CpusetCpus}, available: 0-${host.ncpu - 1}`);
  }
  if (r.CpusetMems) {
    const mems = parseCpuList(r.CpusetMems);
    if (!mems) throw bad(`Invalid value ${r.CpusetMems} for cpuset mems`);
    if (mems.some((m) => m > 0)) throw bad(`Requested memory nodes are not available - requested ${r.CpusetMems}, available: 0`);
  }
  const w = r.BlkioWeight ?? 0;
  if (w > 0 && (w < 10 || w > 1000)) throw bad("Range of blkio weight is from 10 to 1000");
  if (w > 0 && !support.blkioWeight) {
    warnings.push("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
    r.BlkioWeight = 0;
  }
  if (r.BlkioWeightDevice?.length && !support.blkioWeight) {
    warnings.push("Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.");
    r.BlkioWeightDevice = [];
  }
  // dockerd's default: swap limit twice the memory limit, unless given (or -1, unlimited).
  if (!update && mem > 0 && swap === 0) r.MemorySwap = support.swap ? mem * 2 : -1;
  if (!update && swap !== 0 && !support.swap) {
    warnings.push("Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.");
    r.MemorySwap = -1;
  }
  if (r.PidsLimit !== undefined && r.PidsLimit !== null && r.PidsLimit <= 0) r.PidsLimit = r.PidsLimit === 0 ? null : -1;
}
