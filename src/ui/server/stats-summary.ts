/**
 * One Engine API stats sample (`GET /containers/{id}/stats`) reduced to what
 * the dashboard draws, computed the way `docker stats` does: CPU % from the
 * delta against precpu, memory without the reclaimable page cache, totals
 * (the page turns them into rates) for network and block I/O.
 */
export interface StatsPoint {
  /** ms since the epoch of the sample. */
  t: number;
  cpu: number;
  mem: number;
  memLimit: number;
  rx: number;
  tx: number;
  blkRead: number;
  blkWrite: number;
  pids: number;
}

type Json = Record<string, any>;

export function summarizeStats(s: Json): StatsPoint {
  const cpu = s.cpu_stats ?? {};
  const pre = s.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const sysDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const ncpu = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
  const cpuPct = sysDelta > 0 && cpuDelta > 0 && pre.system_cpu_usage ? (cpuDelta / sysDelta) * ncpu * 100 : 0;
  const m = s.memory_stats ?? {};
  const st = m.stats ?? {};
  // cgroup v1 reports total_inactive_file, v2 inactive_file (docker's CLI subtracts either).
  const cache = st.total_inactive_file ?? st.inactive_file ?? 0;
  const mem = Math.max(0, (m.usage ?? 0) - (cache < (m.usage ?? 0) ? cache : 0));
  let rx = 0;
  let tx = 0;
  for (const n of Object.values((s.networks ?? {}) as Record<string, Json>)) {
    rx += n.rx_bytes ?? 0;
    tx += n.tx_bytes ?? 0;
  }
  let blkRead = 0;
  let blkWrite = 0;
  for (const e of (s.blkio_stats?.io_service_bytes_recursive ?? []) as Json[]) {
    const op = String(e.op).toLowerCase();
    if (op === "read") blkRead += e.value ?? 0;
    else if (op === "write") blkWrite += e.value ?? 0;
  }
  const t = Date.parse(s.read);
  return {
    t: Number.isFinite(t) && t > 0 ? t : Date.now(),
    cpu: Math.round(cpuPct * 100) / 100,
    mem, memLimit: m.limit ?? 0, rx, tx, blkRead, blkWrite,
    pids: s.pids_stats?.current ?? 0,
  };
}
