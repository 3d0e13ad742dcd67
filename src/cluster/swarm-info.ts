import { ConflictError, InvalidArgumentError, UnavailableError, errorMessage } from "../lib/errors.js";
import { newSecret } from "./tokens.js";
import { now, type ClusterRecord, type NodeRecord, type SwarmSpec } from "./objects.js";
import type { Swarm } from "./swarm.js";
import type { Versioned } from "./store.js";

async function cluster(sw: Swarm): Promise<Versioned<ClusterRecord>> {
  const s = sw.requireManager();
  const c = await s.store.get<ClusterRecord>("cluster");
  if (!c) throw new UnavailableError("the swarm's state is not readable yet; try again");
  return c;
}

function clusterView(c: Versioned<ClusterRecord>): Record<string, unknown> {
  const r = c.value;
  return {
    ID: r.ID, Version: { Index: c.rev }, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Spec: r.Spec, TLSInfo: r.TLSInfo,
    RootRotationInProgress: r.RootRotationInProgress, DefaultAddrPool: r.DefaultAddrPool, SubnetSize: r.SubnetSize, DataPathPort: r.DataPathPort,
  };
}

/** GET /swarm (managers only). */
export async function inspectSwarm(sw: Swarm): Promise<Record<string, unknown>> {
  const c = await cluster(sw);
  return { ...clusterView(c), JoinTokens: sw.joinTokens(c.value) };
}

/** POST /swarm/update: the spec, and token rotation. */
export async function updateSwarm(sw: Swarm, version: number | undefined, spec: Partial<SwarmSpec>, o: { rotateWorkerToken: boolean; rotateManagerToken: boolean }): Promise<void> {
  const s = sw.requireManager();
  const c = await cluster(sw);
  if (version === undefined) throw new InvalidArgumentError("invalid swarm version: the version query parameter is required");
  if (version !== c.rev) throw new ConflictError("rpc error: code = Unknown desc = update out of sequence");
  const next: ClusterRecord = {
    ...c.value,
    UpdatedAt: now(),
    Spec: { ...c.value.Spec, ...spec, Name: "default" } as SwarmSpec,
    workerSecret: o.rotateWorkerToken ? newSecret() : c.value.workerSecret,
    managerSecret: o.rotateManagerToken ? newSecret() : c.value.managerSecret,
  };
  if (!(await s.store.txn({ expect: { cluster: c.rev }, put: { cluster: next } }))) throw new ConflictError("rpc error: code = Unknown desc = update out of sequence");
}

/** /info's Swarm section. Never throws: an unreachable cluster is reported in Error. */
export async function swarmInfo(sw: Swarm): Promise<Record<string, unknown>> {
  const s = sw.session;
  if (!s) return { NodeID: "", NodeAddr: "", LocalNodeState: "inactive", ControlAvailable: false, Error: "", RemoteManagers: null };
  const base = { NodeID: s.state.nodeId, NodeAddr: s.state.addr, LocalNodeState: "active", ControlAvailable: s.state.role === "manager", Error: "" };
  try {
    const nodes = (await s.store.list<NodeRecord>("nodes/")).filter((n) => !n.value.left);
    const managers = nodes.filter((n) => n.value.Spec.Role === "manager");
    const out: Record<string, unknown> = {
      ...base,
      RemoteManagers: managers.map((m) => ({ NodeID: m.value.ID, Addr: m.value.managerAddr ?? `${m.value.addr}:2377` })),
      Nodes: nodes.length,
      Managers: managers.length,
    };
    if (s.state.role === "manager") {
      const c = await s.store.get<ClusterRecord>("cluster");
      if (c) out.Cluster = clusterView(c);
    }
    return out;
  } catch (err) {
    return { ...base, LocalNodeState: "active", Error: errorMessage(err), RemoteManagers: null };
  }
}
