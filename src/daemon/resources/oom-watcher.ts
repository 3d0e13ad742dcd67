import { closeSync, constants, openSync, readFileSync, readSync } from "node:fs";
import { log } from "../../lib/log.js";

/**
 * Learns of OOM kills from the kernel log (/dev/kmsg), which names the
 * memory cgroup of the victim: `oom-kill:...,oom_memcg=/wharf/<id>,...`.
 * Polling the container's own counters cannot work: the runtime deletes the
 * cgroup before the monitor reports the exit, and cgroup v1's oom_kill
 * counter is hierarchical. One reader per daemon, for v1 and v2 alike.
 */
export class OomWatcher {
  private fd?: number;
  private readonly killed = new Map<string, number>();
  private readonly since: number;
  private readonly buf = Buffer.alloc(8192);

  constructor(private readonly onOom: (containerId: string) => void) {
    this.since = uptimeMicros();
  }

  /**
   * Open the kernel log non-blocking. It is read only when an exit needs
   * checking: a blocking reader would park a libuv thread in read(2) and keep
   * the daemon from ever exiting.
   */
  start(): void {
    try {
      this.fd = openSync("/dev/kmsg", constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      log.warn("cannot read /dev/kmsg: OOM kills will not be reported", { error: String(err) });
    }
  }

  stop(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Read the records the kernel appended since the last scan (one record per read; EAGAIN at the end). */
  private scan(): void {
    if (this.fd === undefined) return;
    for (;;) {
      let n: number;
      try {
        n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EPIPE") continue; // records overwritten before we read them: go on with the next
        if (code !== "EAGAIN") log.warn("/dev/kmsg read failed", { error: String(err) });
        return;
      }
      if (n <= 0) return;
      this.feed(this.buf.toString("utf8", 0, n));
    }
  }

  private feed(line: string): void {
    // "prio,seq,usec,flags;message"
    const semi = line.indexOf(";");
    if (semi < 0) return;
    const usec = Number(line.slice(0, semi).split(",")[2]);
    if (!(usec >= this.since)) return; // records from before the daemon started
    const m = /oom-kill:.*\boom_memcg=([^,\s]+)/.exec(line.slice(semi + 1));
    if (!m) return;
    const id = /([0-9a-f]{64})\/?$/.exec(m[1]!)?.[1];
    if (!id) return;
    this.killed.set(id, (this.killed.get(id) ?? 0) + 1);
    this.onOom(id);
  }

  /** Forget earlier kills (a new run of the container). */
  reset(id: string): void {
    this.scan(); // consume older records so they cannot be attributed to the new run
    this.killed.delete(id);
  }

  /** Whether the container had an OOM kill this run; keeps checking up to `ms` for the kernel's line. */
  async wasKilled(id: string, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      this.scan();
      if (this.killed.has(id) || Date.now() >= deadline) return this.killed.has(id);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

function uptimeMicros(): number {
  try {
    return Math.floor(Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]) * 1e6) - 1_000_000;
  } catch {
    return 0;
  }
}
