import type { NodeRecord, TaskRecord, TaskSpec } from "./objects.js";
import { parseConstraint } from "./services.js";

/** A node as the scheduler sees it. */
export interface Candidate {
  node: NodeRecord;
  ready: boolean;
}

/** Tasks that hold a place on a node: not finished, and meant to run. */
export function holdsPlace(t: TaskRecord): boolean {
  return t.DesiredState === "running" && !["complete", "shutdown", "failed", "rejected", "orphaned", "remove"].includes(t.Status.State);
}

function constraintValue(n: NodeRecord, key: string): string | undefined {
  if (key === "node.id") return n.ID;
  if (key === "node.hostname") return n.Description.Hostname;
  if (key === "node.role") return n.Spec.Role;
  if (key === "node.platform.os") return n.Description.Platform.OS;
  if (key === "node.platform.arch") return n.Description.Platform.Architecture;
  if (key.startsWith("node.labels.")) return n.Spec.Labels[key.slice(12)];
  if (key.startsWith("engine.labels.")) return n.Description.Engine.Labels?.[key.slice(14)];
  return undefined;
}

export function meetsConstraints(n: NodeRecord, spec: TaskSpec): boolean {
  return (spec.Placement?.Constraints ?? []).every((c) => {
    const { key, op, value } = parseConstraint(c);
    const have = constraintValue(n, key);
    const eq = have !== undefined && have.toLowerCase() === value.toLowerCase();
    return op === "==" ? eq : !eq;
  });
}

function fits(n: NodeRecord, spec: TaskSpec, onNode: TaskRecord[]): boolean {
  const want = spec.Resources?.Reservations ?? {};
  if (!want.NanoCPUs && !want.MemoryBytes) return true;
  const used = { cpu: 0, mem: 0 };
  for (const t of onNode) {
    used.cpu += t.Spec.Resources?.Reservations?.NanoCPUs ?? 0;
    used.mem += t.Spec.Resources?.Reservations?.MemoryBytes ?? 0;
  }
  return used.cpu + (want.NanoCPUs ?? 0) <= n.Description.Resources.NanoCPUs && used.mem + (want.MemoryBytes ?? 0) <= n.Description.Resources.MemoryBytes;
}

/** Why no node can take a task, in swarmkit's words, or the nodes that can. */
export function feasibleNodes(cands: Candidate[], spec: TaskSpec, active: TaskRecord[], serviceId: string): { nodes: NodeRecord[]; why?: string } {
  const up = cands.filter((c) => c.ready && !c.node.left && c.node.Spec.Availability === "active").map((c) => c.node);
  if (!up.length) return { nodes: [], why: "no suitable node (no ready nodes are active)" };
  const placed = up.filter((n) => meetsConstraints(n, spec));
  if (!placed.length) return { nodes: [], why: `no suitable node (scheduling constraints not satisfied on ${up.length} node${up.length > 1 ? "s" : ""})` };
  const max = spec.Placement?.MaxReplicas ?? 0;
  const roomy = placed.filter((n) => !max || active.filter((t) => t.NodeID === n.ID && t.ServiceID === serviceId).length < max);
  if (!roomy.length) return { nodes: [], why: `no suitable node (max replicas per node limit exceed)` };
  const fitting = roomy.filter((n) => fits(n, spec, active.filter((t) => t.NodeID === n.ID)));
  if (!fitting.length) return { nodes: [], why: `no suitable node (insufficient resources on ${roomy.length} node${roomy.length > 1 ? "s" : ""})` };
  return { nodes: fitting };
}

/**
 * Spread: the node with the fewest tasks of this service, then the fewest
 * tasks overall; placement preferences (`spread=node.labels.x`) first
 * balance across the label's values.
 */
export function pickNode(nodes: NodeRecord[], spec: TaskSpec, active: TaskRecord[], serviceId: string): NodeRecord {
  const count = (pred: (t: TaskRecord) => boolean) => active.filter(pred).length;
  let pool = nodes;
  for (const pref of spec.Placement?.Preferences ?? []) {
    const key = pref.Spread?.SpreadDescriptor;
    if (!key) continue;
    const groups = new Map<string, NodeRecord[]>();
    for (const n of pool) {
      const v = constraintValue(n, key) ?? "";
      groups.set(v, [...(groups.get(v) ?? []), n]);
    }
    let best: NodeRecord[] | undefined;
    let bestCount = Infinity;
    for (const g of groups.values()) {
      const ids = new Set(g.map((n) => n.ID));
      const c = count((t) => t.ServiceID === serviceId && !!t.NodeID && ids.has(t.NodeID));
      if (c < bestCount) [best, bestCount] = [g, c];
    }
    if (best) pool = best;
  }
  return [...pool].sort((a, b) => {
    const sa = count((t) => t.NodeID === a.ID && t.ServiceID === serviceId);
    const sb = count((t) => t.NodeID === b.ID && t.ServiceID === serviceId);
    if (sa !== sb) return sa - sb;
    const ta = count((t) => t.NodeID === a.ID);
    const tb = count((t) => t.NodeID === b.ID);
    return ta !== tb ? ta - tb : a.ID.localeCompare(b.ID);
  })[0];
}
