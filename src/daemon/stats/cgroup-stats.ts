/**
 * One stats sample of a container from its cgroup files, in the Engine API's
 * ContainerStatsResponse shape, for cgroup v1 and v2.
 */
import { promises as fs } from "node:fs";
import { cpus } from "node:os";
import { cgroupFile } from "../resources/cgroup-paths.js";

const ZERO_TIME = "0001-01-01T00:00:00Z";
/** USER_HZ: /proc/stat and cpuacct.stat count in 1/100 s. */
const TICK_NS = 1e7;

const read = (f: string) => fs.readFile(f, "utf8").catch(() => undefined);
const num = (s: string | undefined) => (s === undefined || s.trim() === "max" ? undefined : Number(s.trim()));

function kv(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? "").split("\n")) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

/** Host CPU time in ns, as dockerd reads it for system_cpu_usage. */
export async function systemCpuUsage(): Promise<number> {
  const line = (await read("/proc/stat"))?.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) return 0;
  return line.trim().split(/\s+/).slice(1, 8).reduce((a, b) => a + Number(b), 0) * TICK_NS;
}

export interface StatsSample {
  read: string;
  cpu_stats: Record<string, unknown>;
  memory_stats: Record<string, unknown>;
  pids_stats: Record<string, unknown>;
  blkio_stats: Record<string, unknown>;
  networks?: Record<string, Record<string, number>>;
}

export async function sampleCgroup(version: 1 | 2, rel: string, pid: number, hostMemory: number): Promise<StatsSample> {
  const f = (ctrl: string, file: string) => read(cgroupFile(version, ctrl, rel, file));
  const online = cpus().length;
  const system = await systemCpuUsage();
  let cpu: Record<string, unknown>;
  let memory: Record<string, unknown>;
  let blkio: Record<string, unknown>;
  if (version === 1) {
    const acct = kv(await f("cpuacct", "cpuacct.stat"));
    const percpu = (await f("cpuacct", "cpuacct.usage_percpu"))?.trim().split(/\s+/).map(Number);
    const thr = kv(await f("cpu", "cpu.stat"));
    cpu = {
      cpu_usage: {
        total_usage: num(await f("cpuacct", "cpuacct.usage")) ?? 0,
        percpu_usage: percpu,
        usage_in_kernelmode: (acct.system ?? 0) * TICK_NS,
        usage_in_usermode: (acct.user ?? 0) * TICK_NS,
      },
      system_cpu_usage: system,
      online_cpus: online,
      throttling_data: { periods: thr.nr_periods ?? 0, throttled_periods: thr.nr_throttled ?? 0, throttled_time: thr.throttled_time ?? 0 },
    };
    const limit = num(await f("memory", "memory.limit_in_bytes")) ?? hostMemory;
    memory = {
      usage: num(await f("memory", "memory.usage_in_bytes")) ?? 0,
      max_usage: num(await f("memory", "memory.max_usage_in_bytes")) ?? 0,
      stats: kv(await f("memory", "memory.stat")),
      failcnt: num(await f("memory", "memory.failcnt")) ?? 0,
      limit: Math.min(limit, hostMemory),
    };
    blkio = {
      io_service_bytes_recursive: blkioV1(await f("blkio", "blkio.throttle.io_service_bytes_recursive")),
      io_serviced_recursive: blkioV1(await f("blkio", "blkio.throttle.io_serviced_recursive")),
      io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null,
      io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null,
    };
  } else {
    const st = kv(await f("", "cpu.stat"));
    cpu = {
      cpu_usage: { total_usage: (st.usage_usec ?? 0) * 1000, usage_in_kernelmode: (st.system_usec ?? 0) * 1000, usage_in_usermode: (st.user_usec ?? 0) * 1000 },
      system_cpu_usage: system,
      online_cpus: online,
      throttling_data: { periods: st.nr_periods ?? 0, throttled_periods: st.nr_throttled ?? 0, throttled_time: (st.throttled_usec ?? 0) * 1000 },
    };
    const limit = num(await f("", "memory.max")) ?? hostMemory;
    memory = { usage: num(await f("", "memory.current")) ?? 0, stats: kv(await f("", "memory.stat")), limit: Math.min(limit, hostMemory) };
    blkio = { io_service_bytes_recursive: ioStatV2(await f("", "io.stat"), "bytes"), io_serviced_recursive: ioStatV2(await f("", "io.stat"), "ios"),
      io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null, io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null };
  }
  const pidsLimit = num(await f("pids", "pids.max"));
  const pids: Record<string, unknown> = { current: num(await f("pids", "pids.current")) ?? 0 };
  if (pidsLimit !== undefined) pids.limit = pidsLimit;
  return { read: new Date().toISOString(), cpu_stats: cpu, memory_stats: memory, pids_stats: pids, blkio_stats: blkio, networks: await netStats(pid) };
}

function blkioV1(text: string | undefined): { major: number; minor: number; op: string; value: number }[] {
  const out = [];
  for (const line of (text ?? "").split("\n")) {
    const m = /^(\d+):(\d+) (\w+) (\d+)$/.exec(line.trim());
    if (m) out.push({ major: Number(m[1]), minor: Number(m[2]), op: m[3]!.toLowerCase(), value: Number(m[4]) });
  }
  return out;
}

/** v2 io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4 ..." → v1-style entries, as dockerd converts them. */
function ioStatV2(text: string | undefined, kind: "bytes" | "ios"): { major: number; minor: number; op: string; value: number }[] {
  const out = [];
  for (const line of (text ?? "").split("\n")) {
    const [dev, ...fields] = line.trim().split(/\s+/);
    const m = /^(\d+):(\d+)$/.exec(dev ?? "");
    if (!m) continue;
    const vals = Object.fromEntries(fields.map((x) => x.split("=")).map(([k, v]) => [k, Number(v)]));
    out.push({ major: Number(m[1]), minor: Number(m[2]), op: "read", value: vals[`r${kind}`] ?? 0 });
    out.push({ major: Number(m[1]), minor: Number(m[2]), op: "write", value: vals[`w${kind}`] ?? 0 });
  }
  return out;
}

/** Interfaces of the container's network namespace (without lo), from /proc/<pid>/net/dev. */
async function netStats(pid: number): Promise<Record<string, Record<string, number>> | undefined> {
  if (!pid) return undefined;
  const text = await read(`/proc/${pid}/net/dev`);
  if (!text) return undefined;
  const out: Record<string, Record<string, number>> = {};
  for (const line of text.split("\n").slice(2)) {
    const [name, rest] = line.split(":");
    if (!name || rest === undefined || name.trim() === "lo") continue;
    const v = rest.trim().split(/\s+/).map(Number);
    out[name.trim()] = {
      rx_bytes: v[0]!, rx_packets: v[1]!, rx_errors: v[2]!, rx_dropped: v[3]!,
      tx_bytes: v[8]!, tx_packets: v[9]!, tx_errors: v[10]!, tx_dropped: v[11]!,
    };
  }
  return Object.keys(out).length ? out : undefined;
}

/** The zero sample dockerd sends for a container that is not running. */
export function emptySample(): StatsSample & { read: string } {
  return {
    read: ZERO_TIME,
    cpu_stats: { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    memory_stats: {},
    pids_stats: {},
    blkio_stats: { io_service_bytes_recursive: null, io_serviced_recursive: null, io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null, io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null },
  };
}

export { ZERO_TIME };
