import { newClusterObjectId } from "./tokens.js";
import { now, TERMINAL, type NodeRecord, type ServiceRecord, type TaskRecord, type UpdateConfig } from "./objects.js";
import { feasibleNodes, holdsPlace, meetsConstraints, pickNode, type Candidate } from "./scheduler.js";

/**
 * The orchestrator's decisions for one service, as a pure function of the
 * cluster's state: which tasks to create (already placed on a node), which
 * to change (desired state shutdown, a node for a pending task), and the
 * service's new update status. The leader writes the result in one etcd
 * transaction guarded by the revisions it read.
 */
export interface Plan {
  create: TaskRecord[];
  change: TaskRecord[];
  service?: ServiceRecord;
}

export interface World {
  nodes: NodeRecord[];
  alive: Set<string>;
  /** Every task of every service (placement counts need all of them). */
  tasks: TaskRecord[];
  nowMs: number;
}

const ns = (n?: number) => (n ?? 0) / 1e6;

function candidates(w: World): Candidate[] {
  return w.nodes.map((node) => ({ node, ready: w.alive.has(node.ID) }));
}

function nodeUsable(w: World, id: string | undefined): boolean {
  const n = w.nodes.find((x) => x.ID === id);
  return !!n && !n.left && w.alive.has(n.ID);
}

function newTask(svc: ServiceRecord, slot: number | undefined, startAfterMs?: number): TaskRecord {
  const t = now();
  return {
    ID: newClusterObjectId(), CreatedAt: t, UpdatedAt: t, Labels: {},
    Spec: svc.Spec.TaskTemplate, ServiceID: svc.ID, ...(slot !== undefined ? { Slot: slot } : {}),
    Status: { Timestamp: t, State: "pending", Message: "pending task scheduling" },
    DesiredState: "running", specVersion: svc.specVersion, serviceName: svc.Spec.Name,
    ...(startAfterMs ? { startAfter: new Date(startAfterMs).toISOString() } : {}),
  } as TaskRecord;
}

function shutdown(t: TaskRecord, message?: string): TaskRecord {
  return { ...t, DesiredState: "shutdown", UpdatedAt: now(), ...(message && !TERMINAL.includes(t.Status.State) ? { Status: { ...t.Status, Message: message } } : {}) };
}

function updateConfig(svc: ServiceRecord): UpdateConfig {
  return (svc.UpdateStatus?.State.startsWith("rollback") ? svc.Spec.RollbackConfig : svc.Spec.UpdateConfig) ?? {};
}

export function planService(svc: ServiceRecord, w: World): Plan {
  const plan: Plan = { create: [], change: [] };
  const mine = w.tasks.filter((t) => t.ServiceID === svc.ID);
  const active = mine.filter((t) => t.DesiredState === "running");
  const restart = svc.Spec.TaskTemplate.RestartPolicy ?? {};
  const placedNow = [...w.tasks.filter(holdsPlace)];
  const replaced = new Set<string>();

  // 1. Tasks that must stop: node gone or drained, finished, or no longer meets constraints (global).
  for (const t of active) {
    const node = w.nodes.find((n) => n.ID === t.NodeID);
    if (t.NodeID && !nodeUsable(w, t.NodeID)) plan.change.push(shutdown(t, "node is down"));
    else if (node?.Spec.Availability === "drain") plan.change.push(shutdown(t, "node is drained"));
    else if (TERMINAL.includes(t.Status.State)) plan.change.push(shutdown(t));
    else if (svc.Spec.Mode?.Global && node && !meetsConstraints(node, svc.Spec.TaskTemplate)) plan.change.push(shutdown(t, "constraints not satisfied"));
    else continue;
    replaced.add(t.ID);
  }
  const running = () => active.filter((t) => !replaced.has(t.ID));

  // 2. Rolling update: out-of-date tasks go in batches once the previous batch has settled.
  const stale = running().filter((t) => t.specVersion < svc.specVersion);
  const fresh = mine.filter((t) => t.specVersion === svc.specVersion);
  const cfg = updateConfig(svc);
  let next: ServiceRecord | undefined;
  const updating = svc.UpdateStatus && ["updating", "rollback_started"].includes(svc.UpdateStatus.State);
  if (updating) {
    const failed = fresh.filter((t) => ["failed", "rejected"].includes(t.Status.State));
    const settling = fresh.filter((t) => t.DesiredState === "running" && !TERMINAL.includes(t.Status.State) &&
      (t.Status.State !== "running" || w.nowMs - Date.parse(t.Status.Timestamp) < ns(cfg.Monitor ?? 5e9)));
    const action = cfg.FailureAction ?? "pause";
    if (failed.length && action !== "continue") {
      const first = failed[0].ID;
      if (action === "rollback" && svc.UpdateStatus!.State === "updating" && svc.PreviousSpec) {
        next = {
          ...svc, Spec: svc.PreviousSpec, PreviousSpec: svc.Spec, specVersion: svc.specVersion + 1, UpdatedAt: now(),
          UpdateStatus: { State: "rollback_started", StartedAt: now(), Message: `update rolled back due to failure or early termination of task ${first}` },
        };
      } else {
        next = { ...svc, UpdateStatus: { ...svc.UpdateStatus!, State: svc.UpdateStatus!.State === "updating" ? "paused" : "rollback_paused", Message: `update paused due to failure or early termination of task ${first}` } };
      }
      return { ...plan, service: next };
    }
    const lastBatch = Date.parse((svc.UpdateStatus as { batchAt?: string }).batchAt ?? "1970-01-01T00:00:00Z");
    if (stale.length && !settling.length && w.nowMs - lastBatch >= ns(cfg.Delay)) {
      const n = cfg.Parallelism || stale.length;
      for (const t of stale.sort((a, b) => (a.Slot ?? 0) - (b.Slot ?? 0)).slice(0, n)) {
        plan.change.push(shutdown(t, "replaced by the service update"));
        replaced.add(t.ID);
      }
      next = { ...svc, UpdateStatus: { ...svc.UpdateStatus!, batchAt: new Date(w.nowMs).toISOString() } as ServiceRecord["UpdateStatus"] };
    } else if (!stale.length && !settling.length) {
      const rb = svc.UpdateStatus!.State === "rollback_started";
      next = { ...svc, UpdateStatus: { State: rb ? "rollback_completed" : "completed", StartedAt: svc.UpdateStatus!.StartedAt, CompletedAt: now(), Message: rb ? "rollback completed" : "update completed" } };
    }
  }

  const place = (t: TaskRecord, onNode?: string): TaskRecord => {
    const feasible = feasibleNodes(candidates(w), t.Spec, placedNow, svc.ID);
    const nodes = onNode ? feasible.nodes.filter((n) => n.ID === onNode) : feasible.nodes;
    if (!nodes.length) return { ...t, Status: { ...t.Status, State: "pending", Message: "pending task scheduling", Err: feasible.why ?? "no suitable node" } };
    const node = pickNode(nodes, t.Spec, placedNow, svc.ID);
    const placed: TaskRecord = { ...t, NodeID: node.ID, Status: { Timestamp: now(), State: "assigned", Message: "scheduler assigned task to node" } };
    placedNow.push(placed);
    return placed;
  };

  // 3. Pending tasks (no node yet): try again.
  for (const t of running()) {
    if (t.NodeID || t.Status.State !== "pending") continue;
    const p = place(t);
    if (p.NodeID || p.Status.Err !== t.Status.Err) plan.change.push({ ...p, UpdatedAt: now() });
  }

  if (svc.Spec.Mode?.Global) {
    // 4g. One task per eligible node.
    for (const c of candidates(w)) {
      if (!c.ready || c.node.left || c.node.Spec.Availability !== "active" || !meetsConstraints(c.node, svc.Spec.TaskTemplate)) continue;
      if (running().some((t) => t.NodeID === c.node.ID)) continue;
      if (plan.create.some((t) => t.NodeID === c.node.ID)) continue;
      const last = latest(mine.filter((t) => t.NodeID === c.node.ID));
      if (last && !wantsRestart(last, restart, mine.filter((t) => t.NodeID === c.node.ID))) continue;
      const p = place(newTask(svc, undefined, restartDelay(last, restart, w)), c.node.ID);
      if (p.NodeID) plan.create.push(p);
    }
  } else {
    // 4r. Slots 1..N each hold one running task; slots above N are scaled away.
    const replicas = svc.Spec.Mode?.Replicated?.Replicas ?? 0;
    for (const t of running()) {
      if ((t.Slot ?? 0) > replicas) {
        plan.change.push(shutdown(t, "scaled down"));
        replaced.add(t.ID);
      }
    }
    for (let slot = 1; slot <= replicas; slot++) {
      if (running().some((t) => t.Slot === slot)) continue;
      const history = mine.filter((t) => t.Slot === slot);
      const last = latest(history);
      if (last && !replaced.has(last.ID) && !wantsRestart(last, restart, history)) continue;
      const lostNode = last && last.NodeID && !nodeUsable(w, last.NodeID);
      plan.create.push(place(newTask(svc, slot, lostNode || (last && replaced.has(last.ID) && !TERMINAL.includes(last.Status.State)) ? undefined : restartDelay(last, restart, w))));
    }
  }
  if (next) plan.service = next;
  return plan;
}

function latest(ts: TaskRecord[]): TaskRecord | undefined {
  return [...ts].sort((a, b) => Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt))[0];
}

/** Restart policy: after a task ended, does its slot get a new one? */
function wantsRestart(last: TaskRecord, p: NonNullable<TaskRecord["Spec"]["RestartPolicy"]>, history: TaskRecord[]): boolean {
  if (last.DesiredState === "running" && !TERMINAL.includes(last.Status.State)) return false;
  // Shut down by the orchestrator (node lost, drained, update) rather than ended by itself: replace it.
  if (!["complete", "failed", "rejected"].includes(last.Status.State)) return true;
  const cond = p.Condition ?? "any";
  if (cond === "none") return false;
  if (cond === "on-failure" && last.Status.State === "complete") return false;
  if (p.MaxAttempts && history.filter((t) => ["failed", "rejected", "complete"].includes(t.Status.State)).length >= p.MaxAttempts) return false;
  return true;
}

function restartDelay(last: TaskRecord | undefined, p: NonNullable<TaskRecord["Spec"]["RestartPolicy"]>, w: World): number | undefined {
  if (!last || !["complete", "failed", "rejected"].includes(last.Status.State)) return undefined;
  return w.nowMs + ns(p.Delay ?? 5e9);
}
