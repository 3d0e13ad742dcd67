import { Duplex } from "node:stream";
import { log } from "../../lib/log.js";
import type { EventBus } from "../events/event-bus.js";
import type { ContainerExtension } from "../containers/extensions.js";
import type { ContainerRecord } from "../containers/types.js";
import { effectiveCheck, validateHealthConfig, type HealthConfig, type HealthState, type WithHealth } from "./health-config.js";

type Rec = ContainerRecord & WithHealth;

const MAX_LOG = 5;
const MAX_OUTPUT = 4096;

/** How a probe runs: an exec in the container, its output and exit code (-1 on timeout). */
export interface ProbeRunner {
  run(containerId: string, cmd: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }>;
}

/**
 * HEALTHCHECK: runs the probe as an exec on the interval (the start interval
 * during the start period), keeps State.Health with the last five results,
 * publishes `health_status: <status>` on each change.
 */
export class HealthExtension implements ContainerExtension {
  readonly name = "health";
  private readonly timers = new Map<string, NodeJS.Timeout>();
  runner?: ProbeRunner;

  /** Probes run and failed since the daemon started (engine_daemon_health_checks_*). */
  probes = 0;
  failedProbes = 0;

  constructor(private readonly events: EventBus) {}

  async create(c: Rec): Promise<void> {
    validateHealthConfig(c.config.Healthcheck as HealthConfig | undefined);
  }

  async started(c: Rec): Promise<void> {
    this.stop(c.id);
    const check = effectiveCheck(c.config.Healthcheck as HealthConfig | undefined);
    if (!check) {
      delete c.health;
      return;
    }
    c.health = { Status: "starting", FailingStreak: 0, Log: [] };
    this.arm(c, Date.now());
  }

  async restored(c: Rec): Promise<void> {
    const check = effectiveCheck(c.config.Healthcheck as HealthConfig | undefined);
    if (!check) return;
    c.health ??= { Status: "starting", FailingStreak: 0, Log: [] };
    this.arm(c, Date.parse(c.state.startedAt) || Date.now());
  }

  async exited(c: Rec): Promise<void> {
    this.stop(c.id);
  }

  async removed(c: Rec): Promise<void> {
    this.stop(c.id);
  }

  private stop(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  private arm(c: Rec, startedAt: number): void {
    const check = effectiveCheck(c.config.Healthcheck as HealthConfig | undefined)!;
    const inStart = () => Date.now() - startedAt < check.startPeriodMs;
    const schedule = () => {
      const delay = inStart() && c.health?.Status === "starting" ? check.startIntervalMs : check.intervalMs;
      this.timers.set(c.id, setTimeout(tick, delay));
    };
    const tick = async () => {
      if (!this.timers.has(c.id) || c.state.status !== "running") return schedule();
      await this.probe(c, check, inStart()).catch((err) => log.warn("health probe failed to run", { id: c.id, error: String(err) }));
      if (this.timers.has(c.id)) schedule();
    };
    schedule();
  }

  private async probe(c: Rec, check: NonNullable<ReturnType<typeof effectiveCheck>>, inStartPeriod: boolean): Promise<void> {
    if (!this.runner) return;
    const start = new Date().toISOString();
    let res: { exitCode: number; output: string };
    try {
      res = await this.runner.run(c.id, check.cmd, check.timeoutMs);
    } catch (err) {
      res = { exitCode: -1, output: String((err as Error).message ?? err) };
    }
    if (!this.timers.has(c.id)) return; // stopped meanwhile
    const h: HealthState = c.health ?? { Status: "starting", FailingStreak: 0, Log: [] };
    this.probes++;
    if (res.exitCode !== 0) this.failedProbes++;
    h.Log = [...h.Log, { Start: start, End: new Date().toISOString(), ExitCode: res.exitCode, Output: res.output.slice(0, MAX_OUTPUT) }].slice(-MAX_LOG);
    const before = h.Status;
    if (res.exitCode === 0) {
      h.FailingStreak = 0;
      h.Status = "healthy";
    } else if (!(inStartPeriod && h.Status === "starting")) {
      // Failures in the start period do not count until the first success.
      h.FailingStreak++;
      if (h.FailingStreak >= check.retries) h.Status = "unhealthy";
    }
    c.health = h;
    if (h.Status !== before) {
      this.events.publish("container", `health_status: ${h.Status}`, c.id, { ...(c.config.Labels ?? {}), image: c.image, name: c.name.slice(1) });
    }
  }

  inspect(c: Rec, out: Record<string, unknown>): void {
    if (!c.health) return;
    const state = out.State as Record<string, unknown>;
    state.Health = c.health;
  }

  summary(c: Rec, out: Record<string, unknown>): void {
    if (!c.health || c.state.status !== "running") return;
    const suffix = c.health.Status === "starting" ? "(health: starting)" : `(${c.health.Status})`;
    out.Status = `${out.Status as string} ${suffix}`;
  }
}

/** The `health` ps filter's value for a container. */
export function healthStatusOf(c: WithHealth): string {
  return c.health?.Status ?? "none";
}

/** A Duplex that collects what an attached exec writes (8-byte stdcopy frames) into text. */
export function collectingSocket(limit: number): { socket: Duplex; text: () => string } {
  let buf = Buffer.alloc(0);
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      if (buf.length < limit * 4) buf = Buffer.concat([buf, chunk]);
      cb();
    },
  });
  const text = () => {
    const parts: Buffer[] = [];
    let off = 0;
    while (off + 8 <= buf.length) {
      const n = buf.readUInt32BE(off + 4);
      parts.push(buf.subarray(off + 8, off + 8 + n));
      off += 8 + n;
    }
    return Buffer.concat(parts).toString("utf8").slice(0, limit);
  };
  return { socket, text };
}
