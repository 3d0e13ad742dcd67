import { setTimeout as sleep } from "node:timers/promises";
import type { Campaign, Election } from "etcd3";
import { errorMessage } from "../lib/errors.js";
import { log } from "../lib/log.js";
import { HEARTBEAT_TTL } from "./membership.js";
import { TERMINAL, type ClusterRecord, type NodeRecord, type ServiceRecord, type TaskRecord } from "./objects.js";
import { planService, type World } from "./reconcile.js";
import type { ClusterComponent, Session } from "./swarm.js";
import type { Versioned } from "./store.js";

/** Hooks run on tasks the leader creates (network attachments). */
export interface TaskAllocator {
  allocate(s: Session, svc: ServiceRecord, tasks: TaskRecord[]): Promise<void>;
  release(s: Session, tasks: TaskRecord[]): Promise<void>;
  /** Service-level state (virtual IPs): called once per reconcile per service. */
  prepareService?(s: Session, svc: Versioned<ServiceRecord>): Promise<void>;
}

/**
 * The leader's loop. Managers campaign in an etcd election; the winner
 * reconciles every service whenever services, tasks, nodes or heartbeats
 * change (and once a second, for delays and update monitors). Every write is
 * a transaction guarded by the revisions it read plus a per-service sequence
 * key, so even two managers that both believe they lead never both place a
 * task for one slot.
 */
export class Orchestrator implements ClusterComponent {
  private session?: Session;
  private election?: Election;
  private campaign?: Campaign;
  private leading = false;
  private stopWatches: (() => Promise<void>)[] = [];
  private timer?: NodeJS.Timeout;
  private dirty = false;
  private running = false;

  constructor(private readonly allocator?: TaskAllocator) {}

  async start(s: Session): Promise<void> {
    if (s.state.role !== "manager") return;
    this.session = s;
    void this.campaignLoop(s);
  }

  private async campaignLoop(s: Session): Promise<void> {
    while (this.session === s) {
      try {
        this.election = s.store.etcd.election("leader", HEARTBEAT_TTL);
        const campaign = (this.campaign = this.election.campaign(s.state.nodeId));
        const ended = new Promise<void>((resolve) => campaign.on("error", (err) => {
          log.warn("swarm leadership lost", { error: errorMessage(err) });
          resolve();
        }));
        await campaign.wait();
        if (this.session !== s) return;
        log.info("this node leads the swarm", { node: s.state.nodeId });
        await this.lead(s);
        await ended;
      } catch (err) {
        if (this.session === s) log.debug("swarm election failed", { error: errorMessage(err) });
      }
      await this.unlead();
      await sleep(500);
    }
  }

  private async lead(s: Session): Promise<void> {
    this.leading = true;
    for (const prefix of ["services/", "tasks/", "nodes/", "alive/"]) this.stopWatches.push(await s.store.watch(prefix, () => this.kick()));
    this.timer = setInterval(() => this.kick(), 1000);
    this.kick();
  }

  private async unlead(): Promise<void> {
    this.leading = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const stop of this.stopWatches.splice(0)) await stop().catch(() => undefined);
  }

  /** Ask for a reconcile; runs coalesce. */
  kick(): void {
    if (!this.leading) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = true;
    void this.reconcileAll().finally(() => {
      this.running = false;
      if (this.dirty) {
        this.dirty = false;
        setTimeout(() => this.kick(), 20);
      }
    });
  }

  private async reconcileAll(): Promise<void> {
    const s = this.session;
    if (!s) return;
    try {
      const [services, tasks, nodes, alive, cluster] = await Promise.all([
        s.store.list<ServiceRecord>("services/"),
        s.store.list<TaskRecord>("tasks/"),
        s.store.list<NodeRecord>("nodes/"),
        s.store.list<unknown>("alive/"),
        s.store.get<ClusterRecord>("cluster"),
      ]);
      const world: World = { nodes: nodes.map((n) => n.value), alive: new Set(alive.map((a) => a.key.slice(6))), tasks: tasks.map((t) => t.value), nowMs: Date.now() };
      const revOf = new Map(tasks.map((t) => [t.value.ID, t.rev]));
      for (const svc of services) {
        await this.allocator?.prepareService?.(s, svc);
        const plan = planService(svc.value, world);
        if (!plan.create.length && !plan.change.length && !plan.service) continue;
        await this.allocator?.allocate(s, svc.value, plan.create);
        const seq = await s.store.get<number>(`svcseq/${svc.value.ID}`);
        const expect: Record<string, number> = { [svc.key]: svc.rev, [`svcseq/${svc.value.ID}`]: seq?.rev ?? 0 };
        const put: Record<string, unknown> = { [`svcseq/${svc.value.ID}`]: (seq?.value ?? 0) + 1 };
        for (const t of plan.change) {
          expect[`tasks/${t.ID}`] = revOf.get(t.ID) ?? 0;
          put[`tasks/${t.ID}`] = t;
        }
        for (const t of plan.create) put[`tasks/${t.ID}`] = t;
        if (plan.service) put[svc.key] = plan.service;
        if (!(await s.store.txn({ expect, put }))) {
          await this.allocator?.release(s, plan.create);
          this.dirty = true; // somebody else changed something: read again
          continue;
        }
        // Later services see this one's placements.
        world.tasks = world.tasks.filter((t) => !plan.change.some((c) => c.ID === t.ID)).concat(plan.change, plan.create);
      }
      await this.collect(s, services, tasks, world, cluster?.value.Spec.Orchestration.TaskHistoryRetentionLimit ?? 5);
    } catch (err) {
      log.debug("swarm reconcile failed", { error: errorMessage(err) });
    }
  }

  /** Delete tasks nobody needs: of removed services once stopped, and history beyond the retention limit. */
  private async collect(s: Session, services: Versioned<ServiceRecord>[], tasks: Versioned<TaskRecord>[], w: World, keep: number): Promise<void> {
    const live = new Set(services.map((x) => x.value.ID));
    const gone: Versioned<TaskRecord>[] = [];
    for (const t of tasks) {
      const v = t.value;
      const stopped = TERMINAL.includes(v.Status.State) || !v.NodeID || !w.alive.has(v.NodeID);
      if ((!live.has(v.ServiceID) || v.DesiredState === "remove") && stopped) gone.push(t);
    }
    const history = new Map<string, Versioned<TaskRecord>[]>();
    for (const t of tasks) {
      if (t.value.DesiredState === "running" || !TERMINAL.includes(t.value.Status.State)) continue;
      const k = `${t.value.ServiceID}/${t.value.Slot ?? t.value.NodeID}`;
      history.set(k, [...(history.get(k) ?? []), t]);
    }
    for (const h of history.values()) gone.push(...h.sort((a, b) => Date.parse(b.value.CreatedAt) - Date.parse(a.value.CreatedAt)).slice(keep));
    for (const t of new Set(gone)) {
      if (await s.store.txn({ expect: { [t.key]: t.rev }, del: [t.key] })) await this.allocator?.release(s, [t.value]);
    }
    for (const svcId of new Set(tasks.map((t) => t.value.ServiceID))) {
      if (!live.has(svcId) && !tasks.some((t) => t.value.ServiceID === svcId && !gone.includes(t))) await s.store.delete(`svcseq/${svcId}`);
    }
  }

  async stop(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    await this.unlead();
    if (s && this.campaign) await this.campaign.resign().catch(() => undefined);
    this.campaign = undefined;
  }
}

