import { errorMessage, NotFoundError } from "../lib/errors.js";
import { log } from "../lib/log.js";
import { now, TERMINAL, type TaskRecord } from "./objects.js";
import type { ClusterComponent, Session } from "./swarm.js";
import type { Versioned } from "./store.js";
import { containerBody, containerName, TASK_LABEL, type TaskRuntime } from "./task-container.js";

/** What a task needs on this node before its container starts: networks, secret files. */
export interface TaskPreparer {
  prepare(s: Session, t: TaskRecord): Promise<{ networks?: Record<string, unknown>; binds?: string[] }>;
  cleanup?(s: Session, t: TaskRecord): Promise<void>;
}

/**
 * The node agent: makes this node's containers match the tasks etcd assigns
 * to it, and reports each task's state back. It reacts to task changes
 * (watch) and container events, and re-checks everything every 2 s. When
 * etcd is unreachable it changes nothing: running tasks keep running.
 */
export class Agent implements ClusterComponent {
  private session?: Session;
  private stopWatch?: () => Promise<void>;
  private offEvents?: () => void;
  private timer?: NodeJS.Timeout;
  private running = false;
  private dirty = false;
  /** Task IDs whose container is being started (never start one twice). */
  private readonly starting = new Set<string>();

  constructor(private readonly runtime: TaskRuntime, private readonly preparer?: TaskPreparer) {}

  async start(s: Session): Promise<void> {
    this.session = s;
    this.stopWatch = await s.store.watch("tasks/", (ev) => {
      if (ev.type === "delete" || (ev.value as TaskRecord | undefined)?.NodeID === s.state.nodeId) this.kick();
    });
    this.offEvents = this.runtime.onChange(() => this.kick());
    this.timer = setInterval(() => this.kick(), 2000);
    this.kick();
  }

  kick(): void {
    if (!this.session) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = true;
    void this.sync().finally(() => {
      this.running = false;
      if (this.dirty) {
        this.dirty = false;
        setTimeout(() => this.kick(), 10);
      }
    });
  }

  private async sync(): Promise<void> {
    const s = this.session;
    if (!s) return;
    let tasks: Versioned<TaskRecord>[];
    try {
      tasks = (await s.store.list<TaskRecord>("tasks/")).filter((t) => t.value.NodeID === s.state.nodeId);
    } catch {
      return; // etcd unreachable: keep what runs
    }
    const byTask = new Map<string, string>();
    for (const [cid, tid] of this.runtime.taskContainers()) byTask.set(tid, cid);
    const mine = new Set(tasks.map((t) => t.value.ID));
    // Containers of tasks that are gone (service removed and collected, node removed): stop them.
    await Promise.all([...byTask].filter(([tid]) => !mine.has(tid) && !this.starting.has(tid)).map(([, cid]) => this.discard(cid).catch(() => undefined)));
    await Promise.all(tasks.map((t) => this.reconcile(s, t, byTask.get(t.value.ID)).catch((err) => log.warn("swarm task reconcile failed", { task: t.value.ID, error: errorMessage(err) }))));
  }

  private async discard(cid: string): Promise<void> {
    await this.runtime.stop(cid, 10).catch(() => undefined);
    await this.runtime.remove(cid);
  }

  private async reconcile(s: Session, v: Versioned<TaskRecord>, cid: string | undefined): Promise<void> {
    const t = v.value;
    if (t.DesiredState !== "running") {
      if (cid) {
        const grace = Math.ceil((t.Spec.ContainerSpec?.StopGracePeriod ?? 10e9) / 1e9);
        await this.runtime.stop(cid, grace).catch(() => undefined);
        await this.runtime.remove(cid).catch(() => undefined);
        await this.preparer?.cleanup?.(s, t).catch(() => undefined);
      }
      if (!TERMINAL.includes(t.Status.State)) await this.report(s, v, { State: "shutdown", Message: "shutdown" });
      return;
    }
    if (TERMINAL.includes(t.Status.State)) return;
    if (!cid) {
      if (["running", "starting"].includes(t.Status.State)) {
        // The container vanished (removed by hand, or the node restarted without it).
        await this.report(s, v, { State: "failed", Message: "task container is gone", Err: "task: container was removed" });
        return;
      }
      const after = (t as { startAfter?: string }).startAfter;
      if (after && Date.parse(after) > Date.now()) return; // restart delay: the 2 s tick comes back
      if (this.starting.has(t.ID)) return;
      this.starting.add(t.ID);
      try {
        const extra = (await this.preparer?.prepare(s, t)) ?? {};
        const id = await this.runtime.run(containerName(t), containerBody(t, extra));
        const st = this.runtime.state(id);
        const healthy = !t.Spec.ContainerSpec?.Healthcheck || (t.Spec.ContainerSpec.Healthcheck.Test?.[0] === "NONE");
        await this.report(s, v, {
          State: healthy ? "running" : "starting",
          Message: healthy ? "started" : "starting",
          ContainerStatus: { ContainerID: id, PID: st?.pid ?? 0, ExitCode: 0 },
        });
      } catch (err) {
        const missing = err instanceof NotFoundError;
        await this.report(s, v, { State: missing ? "rejected" : "failed", Message: missing ? "preparing" : "starting", Err: errorMessage(err) });
      } finally {
        this.starting.delete(t.ID);
      }
      return;
    }
    const st = this.runtime.state(cid);
    if (!st) return;
    if (!st.running) {
      const failed = st.exitCode !== 0;
      await this.report(s, v, {
        State: failed ? "failed" : "complete",
        Message: failed ? "started" : "finished",
        ...(failed ? { Err: `task: non-zero exit (${st.exitCode})${st.error ? `: ${st.error}` : ""}` } : {}),
        ContainerStatus: { ContainerID: cid, PID: 0, ExitCode: st.exitCode },
      });
      return;
    }
    if (st.health === "unhealthy") {
      await this.runtime.stop(cid, 0).catch(() => undefined);
      await this.report(s, v, { State: "failed", Message: "started", Err: "task: non-zero exit (137): dockerexec: unhealthy container", ContainerStatus: { ContainerID: cid, PID: 0, ExitCode: 137 } });
      return;
    }
    if (t.Status.State === "starting" && st.health === "healthy") {
      await this.report(s, v, { State: "running", Message: "started", ContainerStatus: { ContainerID: cid, PID: st.pid, ExitCode: 0 } });
    } else if (t.Status.State !== "running" && t.Status.State !== "starting") {
      await this.report(s, v, { State: "running", Message: "started", ContainerStatus: { ContainerID: cid, PID: st.pid, ExitCode: 0 } });
    }
  }

  /** Write the task's status (only if nobody changed the task meanwhile; the next pass retries). */
  private async report(s: Session, v: Versioned<TaskRecord>, status: Partial<TaskRecord["Status"]>): Promise<void> {
    const next: TaskRecord = { ...v.value, UpdatedAt: now(), Status: { ...v.value.Status, ...status, Timestamp: now() } as TaskRecord["Status"] };
    if (!status.Err) delete next.Status.Err;
    if (!(await s.store.txn({ expect: { [v.key]: v.rev }, put: { [v.key]: next } }))) this.dirty = true;
  }

  async stop(leaving: boolean): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (this.timer) clearInterval(this.timer);
    this.offEvents?.();
    await this.stopWatch?.().catch(() => undefined);
    if (!leaving) return;
    // Leaving the swarm: every task container goes.
    await Promise.all([...this.runtime.taskContainers().keys()].map((cid) => this.discard(cid).catch(() => undefined)));
    void s;
  }
}

export { TASK_LABEL };
