import { bytesSize, humanSizeWithPrecision } from "../../format/human.js";

/** One row of `docker stats`, computed from a stats sample the way docker's CLI does. */
export function statsRow(s: Record<string, any>, noTrunc: boolean): Record<string, string> {
  const cpu = s.cpu_stats ?? {};
  const pre = s.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const sysDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const online = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
  const cpuPct = sysDelta > 0 && cpuDelta > 0 ? (cpuDelta / sysDelta) * online * 100 : 0;
  const mem = s.memory_stats ?? {};
  const st = mem.stats ?? {};
  // cgroup v1 reports total_inactive_file, v2 inactive_file: page cache that can be dropped is not "used".
  const inactive = st.total_inactive_file ?? st.inactive_file ?? 0;
  const used = (mem.usage ?? 0) > inactive ? (mem.usage ?? 0) - inactive : mem.usage ?? 0;
  const limit = mem.limit ?? 0;
  let rx = 0;
  let tx = 0;
  for (const n of Object.values((s.networks ?? {}) as Record<string, { rx_bytes: number; tx_bytes: number }>)) {
    rx += n.rx_bytes;
    tx += n.tx_bytes;
  }
  let rd = 0;
  let wr = 0;
  for (const e of (s.blkio_stats?.io_service_bytes_recursive ?? []) as { op: string; value: number }[]) {
    if (e.op.toLowerCase() === "read") rd += e.value;
    if (e.op.toLowerCase() === "write") wr += e.value;
  }
  const id = String(s.id ?? "");
  const running = s.read && s.read !== "0001-01-01T00:00:00Z";
  return {
    ID: noTrunc ? id : id.slice(0, 12),
    Container: noTrunc ? id : id.slice(0, 12),
    Name: String(s.name ?? "").replace(/^\//, ""),
    CPUPerc: running ? `${cpuPct.toFixed(2)}%` : "0.00%",
    MemUsage: running ? `${bytesSize(used)} / ${bytesSize(limit)}` : "0B / 0B",
    MemPerc: running && limit ? `${((used / limit) * 100).toFixed(2)}%` : "0.00%",
    NetIO: `${humanSizeWithPrecision(rx, 3)} / ${humanSizeWithPrecision(tx, 3)}`,
    BlockIO: `${humanSizeWithPrecision(rd, 3)} / ${humanSizeWithPrecision(wr, 3)}`,
    PIDs: String(s.pids_stats?.current ?? 0),
  };
}
