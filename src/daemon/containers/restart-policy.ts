import { log } from "../../lib/log.js";
import type { ContainerRecord } from "./types.js";

const INITIAL_DELAY_MS = 100;
const MAX_DELAY_MS = 60_000;
const RESET_AFTER_MS = 10_000;

/**
 * Docker's restart policies: whether an exited container comes back, and
 * after which delay (doubling from 100 ms; reset once a run lasted 10 s).
 */
export function shouldRestart(c: ContainerRecord, exitCode: number): boolean {
  if (c.hostConfig.AutoRemove || c.state.stoppedByUser) return false;
  const p = c.hostConfig.RestartPolicy ?? { Name: "no" };
  switch (p.Name) {
    case "always":
    case "unless-stopped":
      return true;
    case "on-failure":
      return exitCode !== 0 && (!p.MaximumRetryCount || c.restartCount < p.MaximumRetryCount);
    default:
      return false;
  }
}

/** Per-container back-off state (in memory: a daemon restart starts over, like dockerd). */
export class RestartBackoff {
  private delay = 0;

  next(ranForMs: number): number {
    if (ranForMs >= RESET_AFTER_MS || this.delay === 0) this.delay = INITIAL_DELAY_MS;
    else this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
    return this.delay;
  }
}

/** On daemon start: which stopped containers come back. */
export function restartsOnDaemonStart(c: ContainerRecord): boolean {
  const name = c.hostConfig.RestartPolicy?.Name;
  if (c.hostConfig.AutoRemove) return false;
  if (name === "always") return true;
  if (name === "unless-stopped") return !c.state.stoppedByUser;
  return false;
}

/**
 * Runs restart policies: after an exit that should restart, the container
 * waits out its back-off in status "restarting", then starts again (keeping
 * RestartCount). A stop during the wait cancels it (see the service's stop).
 */
export class RestartScheduler {
  private readonly backoff = new Map<string, RestartBackoff>();

  constructor(
    private readonly d: {
      find(id: string): ContainerRecord | undefined;
      save(c: ContainerRecord): Promise<void>;
      start(id: string): Promise<void>;
    },
  ) {}

  async schedule(c: ContainerRecord): Promise<void> {
    let b = this.backoff.get(c.id);
    if (!b) this.backoff.set(c.id, (b = new RestartBackoff()));
    const delay = b.next(Date.parse(c.state.finishedAt) - Date.parse(c.state.startedAt));
    c.state.status = "restarting";
    await this.d.save(c);
    setTimeout(() => {
      const cur = this.d.find(c.id);
      if (!cur || cur.state.status !== "restarting" || cur.state.stoppedByUser) return;
      // The status stays "restarting" until the process runs: a client polling for "exited"
      // (as `docker wait`-style loops do) must not see the gap between two runs.
      cur.restartCount++;
      this.d.start(cur.id).catch(async (err) => {
        log.warn("restart failed", { id: c.id, error: String(err) });
        if (shouldRestart(cur, cur.state.exitCode)) return this.schedule(cur);
        if (cur.state.status === "restarting") {
          cur.state.status = "exited";
          await this.d.save(cur);
        }
      });
    }, delay);
  }

  /** A user start or a removal resets the back-off. */
  forget(id: string): void {
    this.backoff.delete(id);
  }
}
