import type { Writable } from "node:stream";
import { detectHostInfo } from "../../runtime/host-info.js";
import type { ContainerService } from "../containers/container-service.js";
import { isRunning } from "../containers/state.js";
import { emptySample, sampleCgroup, ZERO_TIME, type StatsSample } from "./cgroup-stats.js";

/** `GET /containers/{id}/stats`: samples every second, each carrying the previous one as precpu. */
export class StatsService {
  constructor(private readonly svc: ContainerService) {}

  private async sample(id: string): Promise<StatsSample> {
    const c = this.svc.get(id);
    if (!isRunning(c.state.status)) return emptySample();
    const host = await detectHostInfo();
    const rel = `${this.svc.deps.cgroupParent.replace(/\/$/, "")}/${c.id}`;
    return sampleCgroup(host.cgroupVersion, rel, c.state.pid, host.memTotal);
  }

  /**
   * Writes samples to `out`. `stream=false` answers with one sample that has
   * a previous one (so CPU % can be computed, as dockerd does); `oneShot`
   * skips the wait and leaves precpu empty.
   */
  async stream(ref: string, opts: { stream: boolean; oneShot: boolean }, out: Writable, closed: Promise<void>): Promise<void> {
    const c = this.svc.get(ref);
    let gone = false;
    void closed.then(() => (gone = true));
    const view = (cur: StatsSample, prev: StatsSample | undefined) => ({
      name: c.name,
      id: c.id,
      read: cur.read,
      preread: prev?.read ?? ZERO_TIME,
      pids_stats: cur.pids_stats,
      blkio_stats: cur.blkio_stats,
      num_procs: 0,
      storage_stats: {},
      cpu_stats: cur.cpu_stats,
      precpu_stats: prev?.cpu_stats ?? { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
      memory_stats: cur.memory_stats,
      ...(cur.networks ? { networks: cur.networks } : {}),
    });
    let prev: StatsSample | undefined;
    if (!opts.stream) {
      if (!opts.oneShot && isRunning(c.state.status)) {
        prev = await this.sample(c.id);
        await delay(1000, closed);
      }
      out.end(JSON.stringify(view(await this.sample(c.id), prev)) + "\n");
      return;
    }
    while (!gone) {
      const cur = await this.sample(c.id).catch(() => emptySample());
      if (!out.write(JSON.stringify(view(cur, prev)) + "\n")) await delay(1000, closed);
      prev = cur;
      if (!this.svc.deps.store.find(c.id)) break;
      await delay(1000, closed);
    }
    out.end();
  }
}

function delay(ms: number, closed: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    void closed.then(() => (clearTimeout(t), resolve()));
  });
}
