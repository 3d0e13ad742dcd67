import { ConflictError, InvalidArgumentError, NotFoundError } from "../lib/errors.js";
import { matchLabels, validateFilterKeys, type Filters } from "../lib/filters.js";
import { now, type NodeRecord } from "./objects.js";
import type { Session } from "./swarm.js";
import type { Versioned } from "./store.js";

export type NodeState = "ready" | "down";

/** What node views need besides the records: who is alive and who leads. */
export interface Liveness {
  alive: Set<string>;
  leader?: string;
}

export async function liveness(s: Session): Promise<Liveness> {
  const alive = new Set((await s.store.list<unknown>("alive/")).map((a) => a.key.slice("alive/".length)));
  const leader = await s.store.etcd.election("leader").leader().catch(() => undefined);
  return { alive, leader };
}

/** Docker's Node object. */
export function nodeView(n: Versioned<NodeRecord>, live: Liveness): Record<string, unknown> {
  const r = n.value;
  const up = live.alive.has(r.ID) && !r.left;
  return {
    ID: r.ID,
    Version: { Index: n.rev },
    CreatedAt: r.CreatedAt,
    UpdatedAt: r.UpdatedAt,
    Spec: r.Spec,
    Description: r.Description,
    Status: { State: up ? "ready" : "down", ...(up ? {} : { Message: r.left ? "node left the swarm" : "heartbeat failure" }), Addr: r.addr },
    ...(r.Spec.Role === "manager" && !r.left
      ? { ManagerStatus: { ...(live.leader === r.ID ? { Leader: true } : {}), Reachability: up ? "reachable" : "unreachable", Addr: r.managerAddr ?? `${r.addr}:2377` } }
      : {}),
  };
}

export async function listNodes(s: Session, filters: Filters): Promise<Record<string, unknown>[]> {
  validateFilterKeys(filters, ["id", "label", "node.label", "membership", "name", "role"]);
  const live = await liveness(s);
  const f = (k: string) => filters.get(k) ?? [];
  return (await s.store.list<NodeRecord>("nodes/"))
    .filter(({ value: n }) => {
      if (f("id").length && !f("id").some((i) => n.ID.startsWith(i))) return false;
      if (f("name").length && !f("name").some((x) => n.Description.Hostname.includes(x) || n.Spec.Name === x)) return false;
      if (f("role").length && !f("role").includes(n.Spec.Role)) return false;
      if (f("membership").length && !f("membership").includes("accepted")) return false;
      if (!matchLabels(n.Description.Engine.Labels, filters.get("label"))) return false;
      if (!matchLabels(n.Spec.Labels, filters.get("node.label"))) return false;
      return true;
    })
    .map((n) => nodeView(n, live));
}

/** A node by full ID, unique ID prefix or hostname. */
export async function findNode(s: Session, ref: string): Promise<Versioned<NodeRecord>> {
  const all = await s.store.list<NodeRecord>("nodes/");
  if (ref === "self") ref = s.state.nodeId;
  const exact = all.find((n) => n.value.ID === ref);
  if (exact) return exact;
  const byName = all.filter((n) => n.value.Description.Hostname === ref || n.value.Spec.Name === ref);
  if (byName.length === 1) return byName[0];
  const byPrefix = all.filter((n) => n.value.ID.startsWith(ref));
  if (byPrefix.length === 1) return byPrefix[0];
  if (byPrefix.length > 1 || byName.length > 1) throw new InvalidArgumentError(`node ${ref} is ambiguous (${byPrefix.length || byName.length} matches found)`);
  throw new NotFoundError(`node ${ref} not found`);
}

export async function inspectNode(s: Session, ref: string): Promise<Record<string, unknown>> {
  return nodeView(await findNode(s, ref), await liveness(s));
}

export async function updateNode(s: Session, ref: string, version: number | undefined, spec: Partial<NodeRecord["Spec"]>): Promise<void> {
  const n = await findNode(s, ref);
  if (version !== undefined && version !== n.rev) throw new ConflictError("rpc error: code = Unknown desc = update out of sequence");
  const role = spec.Role ?? n.value.Spec.Role;
  const availability = spec.Availability ?? n.value.Spec.Availability;
  if (!["manager", "worker"].includes(role)) throw new InvalidArgumentError(`invalid role ${role}: must be manager or worker`);
  if (!["active", "pause", "drain"].includes(availability)) throw new InvalidArgumentError(`invalid availability ${availability}: must be active, pause or drain`);
  if (n.value.Spec.Role === "manager" && role === "worker") {
    const managers = (await s.store.list<NodeRecord>("nodes/")).filter((x) => x.value.Spec.Role === "manager" && !x.value.left);
    if (managers.length <= 1) throw new ConflictError("rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm");
  }
  const next: NodeRecord = { ...n.value, UpdatedAt: now(), Spec: { ...(spec.Name ? { Name: spec.Name } : {}), Labels: spec.Labels ?? {}, Role: role, Availability: availability } };
  if (!(await s.store.txn({ expect: { [n.key]: n.rev }, put: { [n.key]: next } }))) throw new ConflictError("rpc error: code = Unknown desc = update out of sequence");
}

export async function removeNode(s: Session, ref: string, force: boolean): Promise<void> {
  const n = await findNode(s, ref);
  const live = await liveness(s);
  const up = live.alive.has(n.value.ID) && !n.value.left;
  if (n.value.Spec.Role === "manager" && !n.value.left) {
    throw new ConflictError(`rpc error: code = FailedPrecondition desc = node ${n.value.ID} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`);
  }
  if (up && !force) {
    throw new ConflictError(`rpc error: code = FailedPrecondition desc = node ${n.value.ID} is not down and can't be removed`);
  }
  await s.store.txn({ expect: { [n.key]: n.rev }, del: [n.key, `alive/${n.value.ID}`] });
}
