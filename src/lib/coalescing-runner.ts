/**
 * Runs an idempotent job (a "sync everything" pass) one at a time, with at
 * most one more queued: every request made while a run is in progress
 * shares the single follow-up run. A caller that awaits `run()` knows a pass
 * that began after its request has finished, and a stream of requests
 * (timers, watch events) faster than the job never builds a backlog.
 */
export class CoalescingRunner {
  private active?: Promise<void>;
  private queued?: Promise<void>;

  constructor(private readonly job: () => Promise<void>) {}

  /** Resolves (or rejects) with the first run that starts after this call. */
  run(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.active) return this.begin();
    const queued = this.active.then(
      () => this.afterActive(),
      () => this.afterActive(),
    );
    this.queued = queued;
    return queued;
  }

  /** Fire and forget: failures are the job's to report. */
  kick(): void {
    this.run().catch(() => undefined);
  }

  /** Settles when nothing runs or waits (for shutdown). */
  async idle(): Promise<void> {
    while (this.active || this.queued) await (this.queued ?? this.active)!.catch(() => undefined);
  }

  private afterActive(): Promise<void> {
    this.queued = undefined;
    return this.begin();
  }

  private begin(): Promise<void> {
    const p = Promise.resolve().then(() => this.job());
    this.active = p;
    const clear = () => {
      if (this.active === p) this.active = undefined;
    };
    p.then(clear, clear);
    return p;
  }
}
