import { ConflictError, InvalidArgumentError, NotFoundError } from "../lib/errors.js";
import { matchLabels, validateFilterKeys, type Filters } from "../lib/filters.js";
import { randomName } from "../lib/names.js";
import { newClusterObjectId } from "./tokens.js";
import { now, TERMINAL, type ServiceRecord, type ServiceSpec, type TaskRecord } from "./objects.js";
import type { Session } from "./swarm.js";
import type { Versioned } from "./store.js";
import { resolveServiceNetworks } from "./overlay-networks.js";
import { assignVips, releaseVips } from "./task-networks.js";

const PORT_RANGE = [30000, 32767];

/** Validate and fill a spec the way swarmkit does (defaults, ingress ports, names). */
export async function normaliseSpec(s: Session, spec: ServiceSpec, self?: ServiceRecord): Promise<ServiceSpec> {
  if (!spec || typeof spec !== "object") throw new InvalidArgumentError("invalid service spec: expected a JSON object");
  const out: ServiceSpec = JSON.parse(JSON.stringify(spec));
  if (!out.Name) out.Name = self?.Spec.Name ?? randomName();
  if (!/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(out.Name)) {
    throw new InvalidArgumentError(`rpc error: code = InvalidArgument desc = name must be valid as a DNS name component`);
  }
  out.TaskTemplate ??= {};
  const cs = out.TaskTemplate.ContainerSpec;
  if (!cs?.Image) throw new InvalidArgumentError("rpc error: code = InvalidArgument desc = ContainerSpec: image reference must be provided");
  if (out.Mode?.Global && out.Mode?.Replicated) throw new InvalidArgumentError("rpc error: code = InvalidArgument desc = service mode can be replicated or global, not both");
  if (!out.Mode?.Global) {
    const replicas = out.Mode?.Replicated?.Replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 0) throw new InvalidArgumentError(`invalid replicas value: ${replicas}`);
    out.Mode = { Replicated: { Replicas: replicas } };
  }
  const rp = out.TaskTemplate.RestartPolicy ?? {};
  out.TaskTemplate.RestartPolicy = { Condition: rp.Condition ?? "any", Delay: rp.Delay ?? 5_000_000_000, MaxAttempts: rp.MaxAttempts ?? 0, ...(rp.Window ? { Window: rp.Window } : {}) };
  if (!["any", "none", "on-failure"].includes(out.TaskTemplate.RestartPolicy.Condition!)) throw new InvalidArgumentError(`invalid restart condition ${rp.Condition}`);
  for (const c of out.TaskTemplate.Placement?.Constraints ?? []) parseConstraint(c);
  const uc = (u: ServiceSpec["UpdateConfig"]) => ({ Parallelism: u?.Parallelism ?? 1, ...(u?.Delay ? { Delay: u.Delay } : {}), FailureAction: u?.FailureAction ?? "pause", Monitor: u?.Monitor ?? 5_000_000_000, MaxFailureRatio: u?.MaxFailureRatio ?? 0, Order: u?.Order ?? "stop-first" });
  out.UpdateConfig = uc(out.UpdateConfig);
  out.RollbackConfig = uc(out.RollbackConfig);
  out.RollbackConfig.FailureAction = spec.RollbackConfig?.FailureAction ?? "pause";
  // Networks may be given at either place; swarmkit moved them into the task template.
  if (out.Networks?.length && !out.TaskTemplate.Networks?.length) out.TaskTemplate.Networks = out.Networks;
  delete out.Networks;
  out.TaskTemplate.Networks = await resolveServiceNetworks(s, out.TaskTemplate.Networks ?? []);
  out.EndpointSpec = { Mode: out.EndpointSpec?.Mode ?? "vip", ...(out.EndpointSpec?.Ports?.length ? { Ports: out.EndpointSpec.Ports } : {}) };
  if (!["vip", "dnsrr"].includes(out.EndpointSpec.Mode!)) throw new InvalidArgumentError(`invalid endpoint mode ${out.EndpointSpec.Mode}`);
  const ports = out.EndpointSpec.Ports ?? [];
  if (out.EndpointSpec.Mode === "dnsrr" && ports.some((p) => (p.PublishMode ?? "ingress") === "ingress")) {
    throw new InvalidArgumentError("rpc error: code = InvalidArgument desc = EndpointSpec: port published with ingress mode can't be used with dnsrr mode");
  }
  const taken = await publishedPorts(s, self?.ID);
  const seen = new Set<string>();
  for (const p of ports) {
    p.Protocol ??= "tcp";
    p.PublishMode ??= "ingress";
    if (!(p.TargetPort > 0 && p.TargetPort < 65536)) throw new InvalidArgumentError(`invalid target port ${p.TargetPort}`);
    const prev = self?.Endpoint?.Ports?.find((q) => q.TargetPort === p.TargetPort && q.Protocol === p.Protocol && q.PublishMode === p.PublishMode);
    if (!p.PublishedPort && p.PublishMode === "ingress") p.PublishedPort = prev?.PublishedPort ?? freePort(taken);
    const key = `${p.PublishedPort}/${p.Protocol}`;
    if (p.PublishedPort && (taken.has(key) || seen.has(key))) {
      throw new ConflictError(`rpc error: code = InvalidArgument desc = port '${p.PublishedPort}' is already in use by service '${taken.get(key) ?? out.Name}' as an ingress port`);
    }
    if (p.PublishedPort) seen.add(key);
  }
  return out;
}

async function publishedPorts(s: Session, except?: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { value: svc } of await s.store.list<ServiceRecord>("services/")) {
    if (svc.ID === except) continue;
    for (const p of svc.Spec.EndpointSpec?.Ports ?? []) if (p.PublishedPort && p.PublishMode === "ingress") out.set(`${p.PublishedPort}/${p.Protocol ?? "tcp"}`, svc.Spec.Name);
  }
  return out;
}

function freePort(taken: Map<string, string>): number {
  for (let p = PORT_RANGE[0]; p <= PORT_RANGE[1]; p++) if (!taken.has(`${p}/tcp`) && !taken.has(`${p}/udp`)) return p;
  throw new ConflictError("no free port left in the ingress range 30000-32767");
}

/** A placement constraint: `node.labels.x==y`, `node.role!=manager`, `node.hostname==h`, `node.id==…`, `engine.labels.x==y`, `node.platform.os==linux`. */
export function parseConstraint(c: string): { key: string; op: "==" | "!="; value: string } {
  const m = /^\s*([\w.-]+)\s*(==|!=)\s*(.*?)\s*$/.exec(c);
  if (!m) throw new InvalidArgumentError(`rpc error: code = InvalidArgument desc = invalid constraint: ${c} (expected key==value or key!=value)`);
  return { key: m[1], op: m[2] as "==" | "!=", value: m[3] };
}

export async function findService(s: Session, ref: string): Promise<Versioned<ServiceRecord>> {
  const all = await s.store.list<ServiceRecord>("services/");
  const hit = all.find((x) => x.value.ID === ref) ?? all.find((x) => x.value.Spec.Name === ref);
  if (hit) return hit;
  const byPrefix = all.filter((x) => x.value.ID.startsWith(ref));
  if (byPrefix.length === 1) return byPrefix[0];
  if (byPrefix.length > 1) throw new InvalidArgumentError(`service ${ref} is ambiguous (${byPrefix.length} matches found)`);
  throw new NotFoundError(`service ${ref} not found`);
}

export function serviceView(v: Versioned<ServiceRecord>, tasks?: TaskRecord[], nodesUp?: Set<string>): Record<string, unknown> {
  const r = v.value;
  const out: Record<string, unknown> = {
    ID: r.ID, Version: { Index: v.rev }, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Spec: r.Spec,
    ...(r.PreviousSpec ? { PreviousSpec: r.PreviousSpec } : {}),
    Endpoint: r.Endpoint ?? { Spec: r.Spec.EndpointSpec ?? {} },
    ...(r.UpdateStatus ? { UpdateStatus: r.UpdateStatus } : {}),
  };
  if (tasks) {
    const mine = tasks.filter((t) => t.ServiceID === r.ID);
    const running = mine.filter((t) => t.Status.State === "running" && t.DesiredState === "running").length;
    const desired = r.Spec.Mode?.Global
      ? new Set(mine.filter((t) => t.DesiredState === "running" && t.NodeID && (!nodesUp || nodesUp.has(t.NodeID))).map((t) => t.NodeID)).size
      : r.Spec.Mode?.Replicated?.Replicas ?? 0;
    out.ServiceStatus = { RunningTasks: running, DesiredTasks: desired, CompletedTasks: mine.filter((t) => t.Status.State === "complete").length };
  }
  return out;
}

export async function createService(s: Session, spec: ServiceSpec): Promise<{ ID: string; Warnings?: string[] }> {
  const norm = await normaliseSpec(s, spec);
  const all = await s.store.list<ServiceRecord>("services/");
  if (all.some((x) => x.value.Spec.Name === norm.Name)) throw new ConflictError(`rpc error: code = AlreadyExists desc = name conflicts with an existing object: service ${norm.Name} already exists`);
  const id = newClusterObjectId();
  const t = now();
  const rec: ServiceRecord = { ID: id, CreatedAt: t, UpdatedAt: t, Spec: norm, specVersion: 1, Endpoint: { Spec: norm.EndpointSpec, ...(norm.EndpointSpec?.Ports ? { Ports: norm.EndpointSpec.Ports } : {}) } };
  await assignVips(s, rec);
  // The name key makes two creates of one name at once fail in etcd, not in a race here.
  if (!(await s.store.txn({ expect: { [`names/service/${norm.Name}`]: 0 }, put: { [`services/${id}`]: rec, [`names/service/${norm.Name}`]: id } }))) {
    await releaseVips(s, rec);
    throw new ConflictError(`rpc error: code = AlreadyExists desc = name conflicts with an existing object: service ${norm.Name} already exists`);
  }
  return { ID: id };
}

export async function listServices(s: Session, filters: Filters, status: boolean): Promise<Record<string, unknown>[]> {
  validateFilterKeys(filters, ["id", "label", "mode", "name"]);
  const f = (k: string) => filters.get(k) ?? [];
  const tasks = status ? (await s.store.list<TaskRecord>("tasks/")).map((t) => t.value) : undefined;
  const up = status ? new Set((await s.store.list<unknown>("alive/")).map((a) => a.key.slice(6))) : undefined;
  return (await s.store.list<ServiceRecord>("services/"))
    .filter(({ value: v }) => {
      if (f("id").length && !f("id").some((i) => v.ID.startsWith(i))) return false;
      if (f("name").length && !f("name").some((n) => v.Spec.Name.startsWith(n))) return false;
      if (f("mode").length && !f("mode").includes(v.Spec.Mode?.Global ? "global" : "replicated")) return false;
      return matchLabels(v.Spec.Labels, filters.get("label"));
    })
    .map((v) => serviceView(v, tasks, up));
}

export async function inspectService(s: Session, ref: string): Promise<Record<string, unknown>> {
  return serviceView(await findService(s, ref));
}

export async function updateService(s: Session, ref: string, version: number | undefined, spec: ServiceSpec, rollback: boolean): Promise<{ Warnings: string[] | null }> {
  const cur = await findService(s, ref);
  if (version === undefined) throw new InvalidArgumentError("invalid service version: the version query parameter is required");
  if (version !== cur.rev) throw new ConflictError("rpc error: code = Unknown desc = update out of sequence");
  let next = spec;
  if (rollback) {
    if (!cur.value.PreviousSpec) throw new InvalidArgumentError(`rpc error: code = FailedPrecondition desc = service ${cur.value.ID} does not have a previous spec`);
    next = cur.value.PreviousSpec;
  }
  if (next.Name && next.Name !== cur.value.Spec.Name) throw new InvalidArgumentError("rpc error: code = Unimplemented desc = renaming services is not supported");
  const norm = await normaliseSpec(s, { ...next, Name: cur.value.Spec.Name }, cur.value);
  // Only a changed task template replaces tasks (scaling does not).
  const changed = JSON.stringify(canonical(norm.TaskTemplate)) !== JSON.stringify(canonical(cur.value.Spec.TaskTemplate));
  const rec: ServiceRecord = {
    ...cur.value,
    UpdatedAt: now(),
    PreviousSpec: cur.value.Spec,
    Spec: norm,
    specVersion: cur.value.specVersion + (changed ? 1 : 0),
    Endpoint: { ...(cur.value.Endpoint ?? {}), Spec: norm.EndpointSpec, ...(norm.EndpointSpec?.Ports ? { Ports: norm.EndpointSpec.Ports } : { Ports: undefined }) },
    ...(changed
      ? { UpdateStatus: { State: rollback ? "rollback_started" : "updating", StartedAt: now(), Message: rollback ? "manually requested rollback" : "update in progress" } }
      : {}),
  };
  await assignVips(s, rec, cur.value);
  if (!(await s.store.txn({ expect: { [cur.key]: cur.rev }, put: { [cur.key]: rec } }))) throw new ConflictError("rpc error: code = Unknown desc = update out of sequence");
  return { Warnings: null };
}

export async function removeService(s: Session, ref: string): Promise<void> {
  const cur = await findService(s, ref);
  if (!(await s.store.txn({ expect: { [cur.key]: cur.rev }, del: [cur.key, `names/service/${cur.value.Spec.Name}`] }))) throw new ConflictError("rpc error: code = Unknown desc = update out of sequence");
  await releaseVips(s, cur.value);
  // The tasks are told to stop here; the agents stop them and the leader deletes them once they are down.
  for (const t of await s.store.list<TaskRecord>("tasks/")) {
    if (t.value.ServiceID !== cur.value.ID || t.value.DesiredState === "remove") continue;
    await s.store.txn({ expect: { [t.key]: t.rev }, put: { [t.key]: { ...t.value, DesiredState: "remove", UpdatedAt: now() } } });
  }
}

export function isTerminal(t: TaskRecord): boolean {
  return TERMINAL.includes(t.Status.State);
}

/** A spec with sorted keys and no empty values: clients send defaults back in their own shape (the CLI adds `ForceUpdate: 0`, empty objects). */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(canonical) : undefined;
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical((v as Record<string, unknown>)[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null || v === "" || v === false || v === 0 ? undefined : v;
}
