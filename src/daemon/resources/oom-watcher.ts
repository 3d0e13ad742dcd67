import { createReadStream, readFileSync, type ReadStream } from "node:fs";
import { log } from "../../lib/log.js";

/**
 * Learns of OOM kills from the kernel log (/dev/kmsg), which names the
 * memory cgroup of the victim: `oom-kill:...,oom_memcg=/wharf/<id>,...`.
 * Polling the container's own counters cannot work: the runtime deletes the
 * cgroup before the monitor reports the exit, and cgroup v1's oom_kill
 * counter is hierarchical. One reader per daemon, for v1 and v2 alike.
 */
export class OomWatcher {
  private stream?: ReadStream;
  private readonly killed = new Map<string, number>();
  private readonly waiters = new Map<string, () => void>();
  private partial = "";
  private readonly since: number;

  constructor(private readonly onOom: (containerId: string) => void) {
    this.since = uptimeMicros();
  }

  start(): void {
    try {
      this.stream = createReadStream("/dev/kmsg", { encoding: "utf8", highWaterMark: 8192 });
    } catch (err) {
      log.warn("cannot read /dev/kmsg: OOM kills will not be reported", { error: String(err) });
      return;
    }
    this.stream.on("data", (chunk) => this.feed(String(chunk)));
    this.stream.on("error", (err) => log.warn("/dev/kmsg reader stopped: OOM kills will not be reported", { error: String(err) }));
  }

  stop(): void {
    this.stream?.destroy();
  }

  private feed(text: string): void {
    const lines = (this.partial + text).split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) {
      // "prio,seq,usec,flags;message"
      const semi = line.indexOf(";");
      if (semi < 0) continue;
      const usec = Number(line.slice(0, semi).split(",")[2]);
      if (!(usec >= this.since)) continue; // records from before the daemon started
      const m = /oom-kill:.*\boom_memcg=([^,\s]+)/.exec(line.slice(semi + 1));
      if (!m) continue;
      const id = /([0-9a-f]{64})\/?$/.exec(m[1]!)?.[1];
      if (!id) continue;
      this.killed.set(id, (this.killed.get(id) ?? 0) + 1);
      this.onOom(id);
      this.waiters.get(id)?.();
    }
  }

  /** Forget earlier kills (a new run of the container). */
  reset(id: string): void {
    this.killed.delete(id);
  }

  /** Whether the container had an OOM kill this run; waits up to `ms` for the kernel's line to arrive. */
  async wasKilled(id: string, ms: number): Promise<boolean> {
    if (this.killed.has(id) || ms <= 0) return this.killed.has(id);
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.waiters.set(id, done);
    });
    this.waiters.delete(id);
    return this.killed.has(id);
  }
}

function uptimeMicros(): number {
  try {
    return Math.floor(Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]) * 1e6) - 1_000_000;
  } catch {
    return 0;
  }
}
