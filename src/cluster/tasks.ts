import { InvalidArgumentError, NotFoundError } from "../lib/errors.js";
import { matchLabels, validateFilterKeys, type Filters } from "../lib/filters.js";
import type { ServiceRecord, TaskRecord } from "./objects.js";
import type { Session } from "./swarm.js";
import type { Versioned } from "./store.js";

/** Docker's Task object (internal bookkeeping fields left out). */
export function taskView(v: Versioned<TaskRecord>): Record<string, unknown> {
  const { specVersion: _v, serviceName: _n, ...wire } = v.value;
  return { ...wire, Version: { Index: v.rev } };
}

export function taskName(t: TaskRecord): string {
  return `${t.serviceName}.${t.Slot ?? t.NodeID}`;
}

export async function listTasks(s: Session, filters: Filters): Promise<Record<string, unknown>[]> {
  validateFilterKeys(filters, ["id", "name", "node", "service", "label", "desired-state", "up-to-date", "_up-to-date"]);
  const f = (k: string) => filters.get(k) ?? [];
  const upToDate = f("_up-to-date").length > 0 || f("up-to-date").length > 0;
  const services = f("service").length || upToDate ? (await s.store.list<ServiceRecord>("services/")).map((x) => x.value) : [];
  const wantedServices = new Set(
    f("service").flatMap((ref) => services.filter((x) => x.ID === ref || x.Spec.Name === ref || x.ID.startsWith(ref)).map((x) => x.ID)),
  );
  const nodes = f("node").length ? (await s.store.list<{ ID: string; Description: { Hostname: string } }>("nodes/")).map((n) => n.value) : [];
  const wantedNodes = new Set(f("node").flatMap((ref) => (ref === "self" ? [s.state.nodeId] : nodes.filter((n) => n.ID === ref || n.Description.Hostname === ref || n.ID.startsWith(ref)).map((n) => n.ID))));
  for (const d of f("desired-state")) if (!["running", "shutdown", "accepted", "remove", "ready", "complete"].includes(d)) throw new InvalidArgumentError(`invalid desired-state filter value: ${d}`);
  return (await s.store.list<TaskRecord>("tasks/"))
    .filter(({ value: t }) => {
      if (f("id").length && !f("id").some((i) => t.ID.startsWith(i))) return false;
      if (f("service").length && !wantedServices.has(t.ServiceID)) return false;
      if (f("node").length && !(t.NodeID && wantedNodes.has(t.NodeID))) return false;
      if (f("name").length && !f("name").some((n) => taskName(t).startsWith(n))) return false;
      if (upToDate && t.specVersion !== services.find((x) => x.ID === t.ServiceID)?.specVersion) return false;
      if (f("desired-state").length && !f("desired-state").includes(t.DesiredState === "remove" ? "shutdown" : t.DesiredState)) return false;
      return matchLabels(t.Labels, filters.get("label"));
    })
    .map(taskView);
}

export async function inspectTask(s: Session, ref: string): Promise<Record<string, unknown>> {
  const all = await s.store.list<TaskRecord>("tasks/");
  const hit = all.find((t) => t.value.ID === ref) ?? (all.filter((t) => t.value.ID.startsWith(ref)).length === 1 ? all.find((t) => t.value.ID.startsWith(ref)) : undefined);
  if (!hit) throw new NotFoundError(`task ${ref} not found`);
  return taskView(hit);
}
